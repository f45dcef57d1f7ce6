"use client";

// The instructor's message to the whole class or to one learner (1–500 characters); it shows as a
// banner on the learners' lab pages.
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "~/trpc/react";

const MAX = 500;

export function MessageForm({ classId, learners }: { classId: string; learners: [id: string, name: string][] }) {
  const trpc = useTRPC();
  const id = useId();
  const [to, setTo] = useState("");
  const [body, setBody] = useState("");
  const [sent, setSent] = useState("");
  const send = useMutation(
    trpc.classroom.message.mutationOptions({
      onSuccess: () => {
        const name = learners.find(([learnerId]) => learnerId === to)?.[1];
        setSent(name ? `Message sent to ${name}.` : "Message sent to the whole class.");
        setBody("");
      },
    }),
  );
  return (
    <form
      aria-labelledby={`${id}-heading`}
      onSubmit={(e) => {
        e.preventDefault();
        setSent("");
        send.mutate({ classId, body, ...(to ? { toUserId: to } : {}) });
      }}
    >
      <h3 id={`${id}-heading`}>Send a message</h3>
      <div className="field">
        <label htmlFor={`${id}-to`}>To</label>
        <select id={`${id}-to`} value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="">Everyone in the class</option>
          {learners.map(([learnerId, name]) => (
            <option key={learnerId} value={learnerId}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-body`}>Message (1 to {MAX} characters)</label>
        <textarea id={`${id}-body`} value={body} maxLength={MAX} rows={3} required onChange={(e) => setBody(e.target.value)} />
      </div>
      <button type="submit" aria-disabled={send.isPending} disabled={send.isPending}>
        {send.isPending ? "Sending…" : "Send message"}
      </button>
      <p role="status" aria-live="polite">
        {sent}
      </p>
      {send.isError && (
        <p role="alert" className="error">
          {send.error.message}
        </p>
      )}
    </form>
  );
}
