import { CsrfField } from "./csrf-field.js";

export function RetryForm({ csrf, id }: { csrf: string; id: number }) {
  return (
    <form method="post" action={`/console/dead-letters/${id}/retry`} class="inline-form">
      <CsrfField token={csrf} />
      <button type="submit" class="button">
        Retry<span class="visually-hidden"> dead letter {id}</span>
      </button>
    </form>
  );
}
