// Small pieces the console and admin screens share.
export { errorText } from '../i18n/error_text';

/** An error line, announced to screen readers; nothing when there is no error. */
export function ErrorLine(props: { message: string }) {
  if (!props.message) return null;
  return (
    <p class="error" role="alert">
      {props.message}
    </p>
  );
}

/** A table head of column headers. */
export function HeadRow(props: { labels: string[] }) {
  return (
    <thead>
      <tr>
        {props.labels.map((label) => (
          <th key={label} scope="col">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
