import { useState } from 'react';

interface Props {
  text: string;
  /** Said after the label to screen readers, so each button's name says what it copies. */
  what?: string;
  /** The visible label; "Copy" unless given. */
  label?: string;
}

/** Copies one value to the clipboard and says so, in a live region next to the button. */
export function CopyButton({ text, what, label = 'Copy' }: Props) {
  const [note, setNote] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setNote('Copied');
    } catch {
      setNote('Could not copy: select the text instead');
    }
  };
  return (
    <>
      <button type="button" className="secondary compact" onClick={() => void copy()}>
        {label}
        {what && <span className="visually-hidden"> {what}</span>}
      </button>
      <span className="muted small" role="status">
        {note}
      </span>
    </>
  );
}
