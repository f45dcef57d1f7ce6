"use client";

// The four inputs of a link impairment (delay, jitter, loss, rate), shared by one interface's
// settings and the instructor's class-wide form. Empty means 0 (rate: no limit).
import { LINK_LIMITS } from "~/protocol/linkSpec";
import type { LinkFormValues, RateUnit } from "./linkForm";

export function LinkSpecFields({
  id,
  values,
  onChange,
  disabled,
}: {
  id: string;
  values: LinkFormValues;
  onChange: (values: LinkFormValues) => void;
  disabled?: boolean;
}) {
  const set = (key: keyof LinkFormValues) => (e: { target: { value: string } }) => onChange({ ...values, [key]: e.target.value });
  return (
    <fieldset disabled={disabled} className="link-fields">
      <legend className="visually-hidden">Impairment</legend>
      <div className="field">
        <label htmlFor={`${id}-delay`}>Delay (ms, 0–{LINK_LIMITS.maxDelayMs})</label>
        <input id={`${id}-delay`} inputMode="numeric" value={values.delay} onChange={set("delay")} placeholder="0" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-jitter`}>Jitter (ms, up to the delay)</label>
        <input id={`${id}-jitter`} inputMode="numeric" value={values.jitter} onChange={set("jitter")} placeholder="0" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-loss`}>Loss (%, 0–100)</label>
        <input id={`${id}-loss`} inputMode="decimal" value={values.loss} onChange={set("loss")} placeholder="0" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-rate`}>Rate (empty: no limit; 8 kbit to 1 gbit)</label>
        <span className="inline">
          <input id={`${id}-rate`} inputMode="decimal" value={values.rate} onChange={set("rate")} placeholder="no limit" />
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
