/** The calendar in a time zone, and the batch date rules of create and update (table tests). */
import { describe, expect, it } from 'vitest';
import { checkCreateDates, checkUpdateDates, statusOnCreate, statusOnUpdate, type StoredDates } from '../src/batches/dates.ts';
import { dateIn, endOfDay, isTimeZone, offsetMinutes, startOfDay, sunbirdTimestampIn } from '../src/dates.ts';

describe('calendar in a zone', () => {
  it('finds the date, the day boundaries and the offset', () => {
    const instant = new Date('2024-03-09T20:00:00Z');
    expect(dateIn(instant, 'UTC')).toBe('2024-03-09');
    expect(dateIn(instant, 'Asia/Kolkata')).toBe('2024-03-10');
    expect(offsetMinutes(instant, 'Asia/Kolkata')).toBe(330);
    expect(startOfDay('2024-03-10', 'Asia/Kolkata').toISOString()).toBe('2024-03-09T18:30:00.000Z');
    expect(endOfDay('2024-03-10', 'Asia/Kolkata').toISOString()).toBe('2024-03-10T18:29:59.999Z');
    expect(endOfDay('2024-03-10', 'UTC').toISOString()).toBe('2024-03-10T23:59:59.999Z');
  });

  it('handles days when the offset changes', () => {
    // New York moves to daylight saving time at 02:00 on 2024-03-10.
    expect(startOfDay('2024-03-10', 'America/New_York').toISOString()).toBe('2024-03-10T05:00:00.000Z');
    expect(endOfDay('2024-03-10', 'America/New_York').toISOString()).toBe('2024-03-11T03:59:59.999Z');
    expect(dateIn(endOfDay('2024-11-03', 'America/New_York'), 'America/New_York')).toBe('2024-11-03');
  });

  it("writes Sunbird's timestamp text and knows valid zones", () => {
    expect(sunbirdTimestampIn(new Date('2023-09-08T10:21:33.731Z'), 'Asia/Kolkata')).toBe('2023-09-08 15:51:33:731+0530');
    expect(sunbirdTimestampIn(new Date('2023-09-08T10:21:33.007Z'), 'UTC')).toBe('2023-09-08 10:21:33:007+0000');
    expect(sunbirdTimestampIn(new Date('2023-01-08T10:00:00.000Z'), 'America/New_York')).toBe('2023-01-08 05:00:00:000-0500');
    expect([isTimeZone('UTC'), isTimeZone('Asia/Kolkata'), isTimeZone('Mars/Base')]).toEqual([true, true, false]);
  });
});

const TODAY = '2024-06-10';

describe('create rules', () => {
  const table: [string, Parameters<typeof checkCreateDates>[0], ReturnType<typeof checkCreateDates>][] = [
    ['today, open-ended', { startDate: TODAY }, null],
    ['future with end and enrolment end', { startDate: '2024-06-11', endDate: '2024-06-30', enrollmentEndDate: '2024-06-20' }, null],
    ['enrolment closing on the first or last day', { startDate: '2024-06-11', endDate: '2024-06-30', enrollmentEndDate: '2024-06-30' }, null],
    ['null end and enrolment end', { startDate: TODAY, endDate: null, enrollmentEndDate: null }, null],
    ['start yesterday', { startDate: '2024-06-09' }, 'courseBatchStartDateInvalid'],
    ['end on the start day', { startDate: '2024-06-11', endDate: '2024-06-11' }, 'endDateError'],
    ['end before start', { startDate: '2024-06-11', endDate: '2024-06-10' }, 'endDateError'],
    ['enrolment end before start', { startDate: '2024-06-11', endDate: '2024-06-30', enrollmentEndDate: '2024-06-10' }, 'enrollmentEndDateStartError'],
    ['enrolment end after end', { startDate: '2024-06-11', endDate: '2024-06-30', enrollmentEndDate: '2024-07-01' }, 'enrollmentEndDateEndError'],
    ['enrolment end without end', { startDate: '2024-06-11', enrollmentEndDate: '2025-01-01' }, null],
  ];
  for (const [name, dates, want] of table) it(name, () => expect(checkCreateDates(dates, TODAY)).toBe(want));

  it('sets the status from the start day', () => {
    expect([statusOnCreate(TODAY, TODAY), statusOnCreate('2024-06-11', TODAY)]).toEqual([1, 0]);
  });
});

describe('update rules', () => {
  const future: StoredDates = { startDate: '2024-06-15', endDate: '2024-06-30', enrollmentEndDate: '2024-06-20', status: 0 };
  const running: StoredDates = { startDate: '2024-06-01', endDate: '2024-06-30', enrollmentEndDate: null, status: 1 };
  const closed: StoredDates = { startDate: '2024-05-01', endDate: '2024-06-09', enrollmentEndDate: null, status: 1 };
  const table: [string, StoredDates, Parameters<typeof checkUpdateDates>[1], ReturnType<typeof checkUpdateDates>][] = [
    ['nothing changes', future, { startDate: '2024-06-15' }, null],
    ['a future batch moves its start', future, { startDate: '2024-06-12' }, null],
    ['a future batch starts today', future, { startDate: TODAY }, null],
    ['new end after start', future, { startDate: '2024-06-15', endDate: '2024-07-30' }, null],
    ['end on the start day', future, { startDate: '2024-06-15', endDate: '2024-06-15' }, 'endDateError'],
    ['start moved past the stored end', future, { startDate: '2024-07-05' }, 'invalidBatchEndDateError'],
    ['start moved into the past', future, { startDate: '2024-06-09' }, 'invalidBatchStartDateError'],
    ['a running batch keeps its start', running, { startDate: '2024-06-01', endDate: '2024-07-31' }, null],
    ['a running batch moves its start', running, { startDate: '2024-06-12' }, 'invalidBatchStartDateError'],
    ['end moved into the past', running, { startDate: '2024-06-01', endDate: '2024-06-05' }, 'invalidBatchEndDateError'],
    ['a closed batch', closed, { startDate: '2024-05-01' }, 'courseBatchEndDateError'],
    ['a closed batch reopened', closed, { startDate: '2024-05-01', endDate: '2024-07-01' }, 'courseBatchEndDateError'],
    ['a completed batch', { ...running, status: 2 }, { startDate: '2024-06-01' }, 'courseBatchEndDateError'],
    ['enrolment end before start', future, { startDate: '2024-06-15', enrollmentEndDate: '2024-06-14' }, 'enrollmentEndDateStartError'],
    ['enrolment end after end', future, { startDate: '2024-06-15', enrollmentEndDate: '2024-07-01' }, 'enrollmentEndDateEndError'],
    ['enrolment end after the new end', future, { startDate: '2024-06-15', endDate: '2024-06-25', enrollmentEndDate: '2024-06-26' }, 'enrollmentEndDateEndError'],
    ['kept enrolment end after a moved end', future, { startDate: '2024-06-15', endDate: '2024-06-18' }, 'enrollmentEndDateEndError'],
    ['changed enrolment end in the past', running, { startDate: '2024-06-01', enrollmentEndDate: '2024-06-05' }, 'enrollmentEndDateUpdateError'],
    ['kept enrolment end in the past', { ...running, enrollmentEndDate: '2024-06-05' }, { startDate: '2024-06-01', enrollmentEndDate: '2024-06-05' }, null],
    ['null keeps the stored end', future, { startDate: '2024-06-15', endDate: null, enrollmentEndDate: null }, null],
  ];
  for (const [name, stored, requested, want] of table) it(name, () => expect(checkUpdateDates(stored, requested, TODAY)).toBe(want));

  it('starts a batch whose start moves to today', () => {
    expect([statusOnUpdate(future, TODAY, TODAY), statusOnUpdate(future, '2024-06-15', TODAY), statusOnUpdate({ ...running, status: 2 }, TODAY, TODAY)]).toEqual([1, 0, 2]);
  });
});
