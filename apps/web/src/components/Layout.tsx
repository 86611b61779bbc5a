import type { ReactNode } from 'react';
import type { Outputs } from '../trpc';
import { NavLink } from './NavLink';

export const BILLING_PAGES = [
  { path: '/billing/plan', label: 'Plan' },
  { path: '/billing/usage', label: 'Usage' },
  { path: '/billing/credits', label: 'Credits' },
] as const;

export const SETTINGS_PAGES = [
  { path: '/settings/members', label: 'Members' },
  { path: '/settings/api-keys', label: 'API keys' },
] as const;

interface Props {
  me: Outputs['account']['me'];
  path: string;
  onSignOut(): void;
  signingOut: boolean;
  children: ReactNode;
}

export function Layout({ me, path, onSignOut, signingOut, children }: Props) {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar__brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>
          <span>Contox</span>
          <span className="topbar__section">Billing</span>
        </div>
        <div className="topbar__account">
          <span className="topbar__who">
            <span className="topbar__account-name">{me.account.name}</span>
            <span className="topbar__member">
              {me.member.name} · <span className="role-badge">{me.member.role}</span>
            </span>
          </span>
          <button type="button" className="btn btn--ghost btn--small" onClick={onSignOut} disabled={signingOut}>
            {signingOut ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </header>
      <div className="tabs">
        <nav className="tabs__group" aria-label="Billing">
          {BILLING_PAGES.map((p) => (
            <NavLink key={p.path} to={p.path} current={path === p.path} className="tabs__link">
              {p.label}
            </NavLink>
          ))}
        </nav>
        <nav className="tabs__group tabs__group--settings" aria-label="Settings">
          {SETTINGS_PAGES.map((p) => (
            <NavLink key={p.path} to={p.path} current={path === p.path} className="tabs__link">
              {p.label}
            </NavLink>
          ))}
        </nav>
      </div>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
