import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../lib/router';

interface Props {
  to: string;
  current?: boolean;
  className?: string;
  children: ReactNode;
}

/** A real link (middle-click, copy link address work) that navigates in-page on a plain click. */
export function NavLink({ to, current, className, children }: Props) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
