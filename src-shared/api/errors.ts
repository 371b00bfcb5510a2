/** Failures cross every transport as this plain value; each code has one meaning. */
export type ApiErrorCode =
  | 'invalid_params' // the call's arguments do not match the contract
  | 'unknown_method'
  | 'bad_input' // a user file or value is wrong; the message says what to fix
  | 'not_found'
  | 'no_project' // no station database is open
  | 'cancelled'
  | 'unauthorized'
  | 'internal'; // a bug: the message is for the developers

export interface ApiErrorValue {
  code: ApiErrorCode;
  message: string;
  details?: unknown;
}

export class ApiError extends Error implements ApiErrorValue {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toValue(): ApiErrorValue {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static from(value: ApiErrorValue): ApiError {
    return new ApiError(value.code, value.message, value.details);
  }
}
