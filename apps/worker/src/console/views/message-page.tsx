import { Layout } from "./layout.js";

export interface MessagePageProps {
  title: string;
  /** What happened, in a sentence or two. */
  message: string;
  /** Where to go from here. */
  link: { href: string; label: string };
  csrf?: string;
}

/** Errors a person can act on: a refused form, an unknown page, a session that ended. */
export function MessagePage({ title, message, link, csrf }: MessagePageProps) {
  return (
    <Layout title={title} csrf={csrf}>
      <div class="panel message" role="alert">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a class="button" href={link.href}>
            {link.label}
          </a>
        </p>
      </div>
    </Layout>
  );
}
