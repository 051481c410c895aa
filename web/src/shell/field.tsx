// A labelled text input: every control of the app has a visible <label>.
import type { JSX } from 'preact';

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'onInput' | 'value' | 'label'>;

export function Field(
  props: InputProps & { id: string; label: string; value: string; onValue: (value: string) => void },
) {
  const { id, label, value, onValue, ...input } = props;
  return (
    <>
      <label for={id}>{label}</label>
      <input id={id} name={id} {...input} value={value} onInput={(e) => onValue(e.currentTarget.value)} />
    </>
  );
}

/** The end of a form: its error (announced to screen readers) and its submit button. */
export function Submit(props: { label: string; busy: boolean; error?: string }) {
  return (
    <>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <button type="submit" class="primary" disabled={props.busy}>
        {props.label}
      </button>
    </>
  );
}
