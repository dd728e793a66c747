import dayjs from 'dayjs';

/** A `date` attribute (YYYY-MM-DD) in an antd DatePicker, which works on dayjs values. */
export const dateField = {
  getValueProps: (v: string | null) => ({ value: v ? dayjs(v) : null }),
  normalize: (d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
};

/** A `datetime` attribute (an ISO instant) in a DatePicker with time, read in the reader's zone. */
export const dateTimeField = {
  getValueProps: (v: string | null) => ({ value: v ? dayjs(v) : null }),
  normalize: (d: dayjs.Dayjs | null) => (d ? d.toISOString() : null),
};
