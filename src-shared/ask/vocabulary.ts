import type { AskContext } from './slots';

// The words the Ask intents understand. An intent recognises its question from a few words, so a
// question with other words in it may be another question ("the price paid" is not "energy
// today"): a question is answered only when every word of it is one of these, one of the station's
// own (its pumps, tags and their descriptions), a number or a date. Anything else gets "I do not
// know", never another question's answer (issue 31).

const FILLER = `a an the of in on at for to from by with and or is are was were be been being do does did done
  what which who whom whose when where how why much many
  it its it's this that these those there their them they we our us you your i me my
  can could would will shall should may might please tell show give list me find get see know
  has have had having any all each every some so far ever overall total whole time times
  not no yet still just only same than then as per vs vs. versus against compare compared comparing
  one two three four five six seven eight nine ten`;

const QUESTION_WORDS = `
  today tonight morning yesterday week weeks month months day days daily hour hours hourly minute minutes
  last past previous current this next recent recently latest first before after since until during
  january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays
  saturdays sundays weekday weekdays weekend weekends working
  energy kwh consumption consumed consume consuming electric electricity use used usage
  pump pumps pumping pumped ran run runs running worked working on off longest most least
  started start starts switched switch cycles cycle stop stops stopped
  alert alerts alarm alarms rule rules critical high warning warnings info common frequent open
  unresolved active ongoing cleared resolved recent
  degrading degraded degrade wear wearing worn efficiency efficient health healthy deteriorating getting worse
  trending trend out
  peak max maximum highest top biggest largest lowest min minimum smallest bottom low
  average avg mean typical
  level levels tank wet well sump reservoir tunnel basin storage
  flow flows discharge outflow throughput inflow incoming influent
  price prices tariff spot cost costs rate paid pay paying weighted effective bought
  power kw load draw speed frequency hz rpm
  m3 m³ cubic meter metre meters metres cm mm m % percent
  above over exceed exceeded exceeds below under beneath drop dropped drops fell fall falls fallen
  go goes went gone rise rose risen rises reach reached reaches hit higher lower
  high-high hh ll empty dry overflow stop
  station value values signal signals reading readings
`;

const KNOWN = new Set(`${FILLER} ${QUESTION_WORDS}`.split(/\s+/).filter(Boolean));

/** The words of a question: lower case, possessives and punctuation off. */
function wordsOf(q: string): string[] {
  return q
    .toLowerCase()
    .replace(/'s\b/g, '')
    .split(/[^a-z0-9³%.\-/]+/)
    .map((w) => w.replace(/^[.\-/]+|[.\-/]+$/g, ''))
    .filter(Boolean);
}

/** The station's own words: its pump ids, and the words of its tags and their descriptions. */
function stationWords(ctx: AskContext): Set<string> {
  const own = [...ctx.pumps, ...ctx.signals.flatMap((s) => [s.name, ...s.phrases])];
  return new Set(own.flatMap((text) => [text.toLowerCase(), ...wordsOf(text)]));
}

/** The words of a question no intent and nothing of the station's knows; empty when all are known. */
export function unknownWords(q: string, ctx: AskContext): string[] {
  const own = stationWords(ctx);
  return wordsOf(q).filter(
    (w) =>
      !KNOWN.has(w) &&
      !own.has(w) &&
      !/^-?\d+(\.\d+)?%?$/.test(w) &&
      !/^\d{4}-\d{2}-\d{2}$/.test(w) &&
      !/^(p|pump)?\d+(\.\d+)?$/.test(w),
  );
}
