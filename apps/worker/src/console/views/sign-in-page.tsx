import { CsrfField } from "./csrf-field.js";
import { Layout } from "./layout.js";

export interface SignInPageProps {
  csrf: string;
  /** The console page to open after signing in. */
  next: string;
  error?: string;
  notice?: string;
}

export function SignInPage({ csrf, next, error, notice }: SignInPageProps) {
  return (
    <Layout title="Sign in">
      <div class="panel narrow">
        <h1>Sign in</h1>
        <p>Sign in with this worker's admin token (the API token it was configured with).</p>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        {error && (
          <p class="error" role="alert" id="token-error">
            {error}
          </p>
        )}
        <form method="post" action="/console/sign-in">
          <CsrfField token={csrf} />
          <input type="hidden" name="next" value={next} />
          <div class="field">
            <label for="token">Admin token</label>
            <input
              id="token"
              name="token"
              type="password"
              autocomplete="current-password"
              required
              aria-invalid={error ? "true" : undefined}
              aria-describedby={error ? "token-error" : undefined}
            />
          </div>
          <button type="submit" class="button button-primary">
            Sign in
          </button>
        </form>
      </div>
    </Layout>
  );
}
