import { localSetting } from './setting';

// Who is at the console (issue 18): the name the operator gives, kept on this computer, else the
// OS user the server reports. Every alarm action is journaled under it.

const operator = localSetting(
  'pumpdeck.operator',
  (saved) => saved?.trim() ?? '',
  (name) => name.trim().slice(0, 60) || null,
);

export const savedOperator = operator.get;
export const setOperator = operator.set;
/** The operator's name, or '' when none is set (the server then journals the OS user). */
export const useOperator = operator.use;
