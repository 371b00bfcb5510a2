import type { StationKind, StationModel } from './model';

// What the station's own signals are called in messages, pages and reports: "HLT101" for the
// seed's [PLC]HLT101.OUTPUT, the tag itself for a site's "Wet well level", "tank" or "wet well".

/** How the station's own signals are called in messages. */
export interface StationWords {
  kind: StationKind;
  /** "tank" or "wet well" */
  basin: string;
  /** The level and flow signals' short names ("HLT101", "FIT101", or the tag). */
  level: string;
  flow: string;
  dayTotal: string;
}

/** A signal's short name for messages: "[PLC]HLT101.OUTPUT" → "HLT101". */
export function shortName(tag: string | undefined, fallback: string): string {
  if (!tag) return fallback;
  return tag.replace(/^\[[^\]]*\]/, '').replace(/(_HR)?\.(OUTPUT|PV|PER_HR|VALUE|DAY_TOTAL)$/i, '') || tag;
}

export function stationWords(model: StationModel): StationWords {
  return {
    kind: model.kind,
    basin: model.kind === 'lift' ? 'wet well' : 'tank',
    level: shortName(model.level?.tag, model.kind === 'lift' ? 'the wet well level' : 'the tank level'),
    flow: shortName(model.flow?.tag, 'the flow meter'),
    dayTotal: shortName(model.day_total?.tag, 'the day total'),
  };
}

/**
 * A role word and a signal's name as one label, the word only where the name lacks it:
 * "Flow" + "FIT101" is "Flow FIT101", "Flow" + "Discharge flow" is "Discharge flow" (issue 34:
 * labels read "Flow Discharge flow", "Level Wet well level").
 */
export function labelOf(word: string, name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return word;
  return new RegExp(`\\b${word.split(' ').pop()}\\b`, 'i').test(trimmed) ? trimmed : `${word} ${trimmed}`;
}
