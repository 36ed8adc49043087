import ICAL from 'ical.js';
import { vtimezone } from './vtimezone';

/** A time read through the VTIMEZONE by an independent parser, as UTC. */
function throughParser(zone: string, local: string, from: string, to: string): string {
  const tz = new ICAL.Timezone(
    new ICAL.Component(
      ICAL.parse(`BEGIN:VCALENDAR\r\n${vtimezone(zone, new Date(from), new Date(to))}\r\nEND:VCALENDAR`),
    ).getFirstSubcomponent('vtimezone')!,
  );
  const time = ICAL.Time.fromDateTimeString(local);
  time.zone = tz;
  return time.toJSDate().toISOString();
}

describe('vtimezone', () => {
  it.each([
    ['Europe/Paris', '2027-01-15T09:30:00', '2027-01-15T08:30:00.000Z'],
    ['Europe/Paris', '2027-06-15T09:30:00', '2027-06-15T07:30:00.000Z'],
    ['Europe/Paris', '2027-03-28T03:30:00', '2027-03-28T01:30:00.000Z'],
    ['America/New_York', '2027-11-07T09:00:00', '2027-11-07T14:00:00.000Z'],
    ['America/New_York', '2027-07-04T09:00:00', '2027-07-04T13:00:00.000Z'],
    ['Asia/Tokyo', '2027-07-04T09:00:00', '2027-07-04T00:00:00.000Z'],
  ])('lets a parser place %s %s at its instant', (zone, local, utc) => {
    expect(throughParser(zone, local, '2026-12-01T00:00:00Z', '2027-12-31T00:00:00Z')).toBe(utc);
  });

  it('has one component per offset change, each with the offsets around it', () => {
    const text = vtimezone(
      'Europe/Paris',
      new Date('2027-01-01T00:00:00Z'),
      new Date('2027-12-31T00:00:00Z'),
    );
    expect(text).toContain('TZID:Europe/Paris');
    expect(text).toContain(
      'BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200',
    );
    expect(text).toContain(
      'BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100',
    );
    expect(text.split('\r\n').filter((l) => l.startsWith('BEGIN:')).length).toBe(4);
  });
});
