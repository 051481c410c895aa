// Small pieces the console and admin screens share.
import { ApiError } from '../api/client';

/** What to tell the user about a failed request. */
export function errorText(e: unknown): string {
  return e instanceof ApiError ? e.message : String(e);
}

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
