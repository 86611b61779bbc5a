import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { Layout } from './components/Layout';
import { PastDueBanner } from './components/PastDueBanner';
import { QueryState } from './components/QueryState';
import { signOut } from './lib/auth';
import { isUnauthorized } from './lib/errors';
import { navigate, useLocation } from './lib/router';
import { CreditsScreen } from './screens/CreditsScreen';
import { NotFoundScreen } from './screens/NotFoundScreen';
import { PlanScreen } from './screens/PlanScreen';
import { ApiKeysScreen } from './screens/settings/ApiKeysScreen';
import { MembersScreen } from './screens/settings/MembersScreen';
import { SignInScreen } from './screens/SignInScreen';
import { UsageScreen } from './screens/UsageScreen';
import { useTRPC } from './trpc';

const TITLES: Record<string, string> = {
  '/billing/plan': 'Plan',
  '/billing/usage': 'Usage',
  '/billing/credits': 'Credits',
  '/settings/members': 'Members',
  '/settings/api-keys': 'API keys',
};

export function App() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const location = useLocation();
  const me = useQuery(trpc.account.me.queryOptions({}));
  const [signingOut, setSigningOut] = useState(false);

  // The Billing section is the whole app: its root and the bare section path open the plan.
  useEffect(() => {
    if (location.path === '/' || location.path === '/billing')
      navigate(`/billing/plan${window.location.search}`, { replace: true });
  }, [location.path]);

  useEffect(() => {
    document.title = `${TITLES[location.path] ?? 'Billing'} · Contox Billing`;
  }, [location.path]);

  if (me.error && isUnauthorized(me.error)) {
    return (
      <SignInScreen
        linkExpired={location.params.get('signin') === 'expired'}
        onSignedIn={() => queryClient.invalidateQueries()}
      />
    );
  }

  if (!me.data) {
    return (
      <main className="centered">
        <QueryState what="your account" isPending={me.isPending} error={me.error} onRetry={() => me.refetch()}>
          {null}
        </QueryState>
      </main>
    );
  }

  const onSignOut = async () => {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      // Nothing of the previous session may linger in memory for the next person at this browser.
      queryClient.clear();
      setSigningOut(false);
      navigate('/billing/plan', { replace: true });
    }
  };

  let screen: ReactNode;
  switch (location.path) {
    case '/billing/plan':
      screen = <PlanScreen />;
      break;
    case '/billing/usage':
      screen = <UsageScreen />;
      break;
    case '/billing/credits':
      screen = <CreditsScreen />;
      break;
    case '/settings/members':
      screen = <MembersScreen />;
      break;
    case '/settings/api-keys':
      screen = <ApiKeysScreen />;
      break;
    case '/':
    case '/billing':
      screen = null;
      break;
    default:
      screen = <NotFoundScreen />;
  }

  return (
    <Layout me={me.data} path={location.path} onSignOut={onSignOut} signingOut={signingOut}>
      <PastDueBanner />
      {screen}
    </Layout>
  );
}
