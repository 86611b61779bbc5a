export interface SeatRange {
  minSeats: number;
  maxSeats: number | null;
}

/** The seat rule of a plan in words, for hints and errors. */
export function seatRangeText({ minSeats, maxSeats }: SeatRange): string {
  if (maxSeats === null) return `at least ${minSeats} seats`;
  if (minSeats === maxSeats) return `${minSeats} seat${minSeats === 1 ? '' : 's'}`;
  return `${minSeats}–${maxSeats} seats`;
}

/** null when the typed text is an allowed seat count; otherwise what is wrong with it. */
export function seatError(text: string, range: SeatRange): string | null {
  if (!/^\d+$/.test(text.trim())) return 'Enter a whole number of seats.';
  const seats = Number(text);
  if (seats < range.minSeats || (range.maxSeats !== null && seats > range.maxSeats)) {
    return `This plan takes ${seatRangeText(range)}.`;
  }
  return null;
}
