import type { ComponentChildren } from "preact";
import { CsrfField } from "./csrf-field.js";

export type Section = "integrations" | "decisions" | "dead-letters" | "sink" | "try";

const NAV: readonly { section: Section; href: string; label: string }[] = [
  { section: "integrations", href: "/console/integrations", label: "Integrations" },
  { section: "decisions", href: "/console/decisions", label: "Decisions" },
  { section: "dead-letters", href: "/console/dead-letters", label: "Dead letter" },
  { section: "sink", href: "/console/sink", label: "Host sink" },
  { section: "try", href: "/console/try", label: "Try a payload" },
];

export interface LayoutProps {
  title: string;
  /** The highlighted navigation entry; none on the sign-in and error pages. */
  section?: Section;
  /** Signed in: the CSRF token for the sign-out form. Signed out: no navigation. */
  csrf?: string;
  children: ComponentChildren;
}

export function Layout({ title, section, csrf, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · restock`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="/console/integrations">
              restock <span class="brand-sub">Inventory restoration</span>
            </a>
            {csrf !== undefined && (
              <nav aria-label="Console">
                <ul class="nav">
                  {NAV.map((item) => (
                    <li key={item.section}>
                      <a href={item.href} aria-current={item.section === section ? "page" : undefined}>
                        {item.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
            {csrf !== undefined && (
              <form method="post" action="/console/sign-out" class="sign-out">
                <CsrfField token={csrf} />
                <button type="submit" class="button button-quiet">
                  Sign out
                </button>
              </form>
            )}
          </div>
        </header>
        <main id="main" class="wrap">
          {children}
        </main>
      </body>
    </html>
  );
}
