import { canonicalTimeZone } from './time-zone';

describe(canonicalTimeZone.name, () => {
  it.each([
    ['Europe/Paris', 'Europe/Paris'],
    ['europe/paris', 'Europe/Paris'],
    ['America/New_York', 'America/New_York'],
    ['asia/tokyo', 'Asia/Tokyo'],
    ['UTC', 'UTC'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(canonicalTimeZone(input)).toBe(canonical);
  });

  it.each(['Mars/Olympus', '+02:00', 'GMT+2 ', '', 'Europe/Paris; DROP TABLE'])('refuses %p', (input) => {
    expect(canonicalTimeZone(input)).toBeNull();
  });
});
