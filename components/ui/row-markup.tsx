import * as React from 'react';

// What long tables (the secrets table's 50 rows, the key matrix's 200) repeat
// on every row, kept small: each row's HTML is most of the page.

/** Text (a secret key) that line-breaks only after its underscores, on phones. */
export function BreakAfterUnderscores({ value }: { value: string }) {
  const parts = value.split(/(?<=_)/);
  return parts.map((part, i) => (
    <React.Fragment key={i}>
      {part}
      {i < parts.length - 1 ? <wbr /> : null}
    </React.Fragment>
  ));
}

/** Icons drawn once per table (`<symbol id="{prefix}-{name}">`), for every row's `<SpriteIcon>`. */
export function IconSprite({ prefix, icons }: { prefix: string; icons: Record<string, React.ComponentType> }) {
  return (
    <svg aria-hidden="true" className="hidden">
      {Object.entries(icons).map(([name, Icon]) => (
        <symbol key={name} id={`${prefix}-${name}`} viewBox="0 0 24 24">
          <Icon />
        </symbol>
      ))}
    </svg>
  );
}

/** One of an `<IconSprite>`'s icons, by its id (`{prefix}-{name}`). */
export function SpriteIcon({ id, className }: { id: string; className?: string }) {
  return (
    <svg aria-hidden="true" className={className}>
      <use href={`#${id}`} />
    </svg>
  );
}
