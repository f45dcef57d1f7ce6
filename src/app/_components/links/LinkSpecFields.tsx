"use client";

// The four inputs of a link impairment (delay, jitter, loss, rate), shared by one interface's
// settings and the instructor's class-wide form. Empty means 0 (rate: no limit). The inputs the
// form's error is about are marked invalid and described by it (errorId: the FormOutcome's alert).
import { LINK_LIMITS } from "~/protocol/linkSpec";
import { invalidFields, type LinkFormValues, type RateUnit } from "./linkForm";

export function LinkSpecFields({
  id,
  values,
  onChange,
  disabled,
  error = "",
  errorId,
}: {
  id: string;
  values: LinkFormValues;
  onChange: (values: LinkFormValues) => void;
  disabled?: boolean;
  /** The form's error now ("" for none), shown by the alert whose id is errorId. */
  error?: string;
  errorId?: string;
}) {
  const invalid = invalidFields(error);
  const input = (key: "delay" | "jitter" | "loss" | "rate") => ({
    id: `${id}-${key}`,
    value: values[key],
    onChange: (e: { target: { value: string } }) => onChange({ ...values, [key]: e.target.value }),
    "aria-invalid": invalid.includes(key) ? true : undefined,
    "aria-describedby": invalid.includes(key) ? errorId : undefined,
  });
  return (
    <fieldset disabled={disabled} className="link-fields">
      <legend className="visually-hidden">Impairment</legend>
      <div className="field">
        <label htmlFor={`${id}-delay`}>Delay (ms, 0–{LINK_LIMITS.maxDelayMs})</label>
        <input {...input("delay")} inputMode="numeric" placeholder="0" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-jitter`}>Jitter (ms, up to the delay)</label>
        <input {...input("jitter")} inputMode="numeric" placeholder="0" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-loss`}>Loss (%, 0–100)</label>
        <input {...input("loss")} inputMode="decimal" placeholder="0" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-rate`}>Rate (empty: no limit; 8 kbit to 1 gbit)</label>
        <span className="inline">
          <input {...input("rate")} inputMode="decimal" placeholder="no limit" />
          <select
            aria-label="Rate unit"
            value={values.rateUnit}
            onChange={(e) => onChange({ ...values, rateUnit: e.target.value as RateUnit })}
          >
            <option value="kbit">kbit/s</option>
            <option value="mbit">mbit/s</option>
            <option value="gbit">gbit/s</option>
          </select>
        </span>
      </div>
    </fieldset>
  );
}
