import { Input } from 'antd';
import type { ChangeEvent } from 'react';
import { normalizeDate } from '../lib/entitlement-form.ts';

/**
 * A date typed as YYYY-MM-DD. On a phone's number pad (no "-" key) the dashes are put in as
 * the digits come; "2019-5-1" and "20190501" are tidied on blur. Whether the date exists is
 * the server's to say (its message lands on the field).
 */
export function DateInput({
  value,
  onChange,
  id,
  testId,
  ariaLabel,
  status,
}: {
  value?: string;
  onChange?: (v: string) => void;
  id?: string;
  testId?: string;
  ariaLabel?: string;
  status?: '' | 'error' | 'warning';
}) {
  const change = (e: ChangeEvent<HTMLInputElement>) => {
    const text = e.target.value;
    // Digits and dashes only: re-flow into YYYY-MM-DD as typed. Anything else ("2019年5月1日",
    // "2019/5/1") is left alone and tidied on blur.
    if (!/^[\d-]*$/.test(text)) return onChange?.(text);
    const d = text.replaceAll('-', '').slice(0, 8);
    onChange?.(
      d.length <= 4
        ? d
        : d.length <= 6
          ? `${d.slice(0, 4)}-${d.slice(4)}`
          : `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`,
    );
  };
  return (
    <Input
      id={id}
      value={value}
      onChange={change}
      onBlur={() => {
        const n = normalizeDate(value);
        if (n !== undefined && n !== value) onChange?.(n);
      }}
      placeholder="YYYY-MM-DD"
      inputMode="numeric"
      autoComplete="off"
      maxLength={12}
      data-testid={testId}
      aria-label={ariaLabel}
      status={status}
    />
  );
}
