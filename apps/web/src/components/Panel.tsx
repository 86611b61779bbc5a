import { type ReactNode, useId } from 'react';

interface Props {
  title: string;
  /** Right-aligned controls in the header (toggles, links). */
  actions?: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
  id?: string;
}

/** A titled card; its heading is a real h2 so the page outline can be navigated by heading. */
export function Panel({ title, actions, description, children, className, id }: Props) {
  const generated = useId();
  const headingId = id ? `${id}-title` : generated;
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={headingId} id={id}>
      <header className="panel__header">
        <div>
          <h2 className="panel__title" id={headingId}>
            {title}
          </h2>
          {description && <p className="panel__description">{description}</p>}
        </div>
        {actions && <div className="panel__actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
