import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { PageHeading } from '../../components/PageHeading';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { SettingsNotice } from '../../components/SettingsNotice';
import { useBillingRole } from '../../hooks/useBillingRole';
import { errorInfo } from '../../lib/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { canManageTeam } from '../../lib/team';
import { type Outputs, useTRPC } from '../../trpc';
import { CreateApiKeyForm } from './CreateApiKeyForm';

type ApiKey = Outputs['apiKeys']['list']['apiKeys'][number];

export function ApiKeysScreen() {
  const trpc = useTRPC();
  const { role } = useBillingRole();
  const allowed = canManageTeam(role);
  const keys = useQuery({ ...trpc.apiKeys.list.queryOptions({}), enabled: allowed });
  return (
    <>
      <PageHeading subtitle="Keys let other Contox services and scripts call the billing API.">API keys</PageHeading>
      {!allowed && <SettingsNotice role={role} />}
      {allowed && (
        <>
          <Panel title="Live keys" description="Secrets are shown once, when a key is created; here only their start.">
            <QueryState what="API keys" isPending={keys.isPending} error={keys.error} onRetry={() => keys.refetch()}>
              {keys.data && <KeyTable keys={keys.data.apiKeys} />}
            </QueryState>
          </Panel>
          <Panel title="Create a key" description="Give each service its own key with only the scopes it needs.">
            <CreateApiKeyForm />
          </Panel>
        </>
      )}
    </>
  );
}

function KeyTable({ keys }: { keys: readonly ApiKey[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: () => {
        setRevoking(null);
        return queryClient.invalidateQueries({ queryKey: trpc.apiKeys.pathKey() });
      },
    }),
  );
  if (keys.length === 0) return <EmptyState title="No API keys">Create one below.</EmptyState>;
  return (
    <>
      <div className="table-wrap">
        <table className="table table--stack" data-testid="api-keys">
          <caption className="sr-only">Live API keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key starts</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-key={k.name}>
                <td data-label="Name">{k.name}</td>
                <td data-label="Key starts">
                  <code>{k.prefix}…</code>
                </td>
                <td data-label="Scopes">{k.scopes.join(', ')}</td>
                <td data-label="Created">{formatDate(k.createdAt)}</td>
                <td data-label="Last used">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'Never'}</td>
                <td data-label="Actions" className="table__actions">
                  <button type="button" className="btn btn--ghost btn--small" onClick={() => setRevoking(k)}>
                    Revoke<span className="sr-only"> {k.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this key?"
        confirmLabel="Revoke key"
        cancelLabel="Cancel"
        danger
        busy={revoke.isPending}
        error={revoke.error ? errorInfo(revoke.error).message : null}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
        onCancel={() => setRevoking(null)}
      >
        <p>
          “{revoking?.name}” stops working at once, and so do sessions signed in with it. Services using it need a new
          key.
        </p>
      </ConfirmDialog>
    </>
  );
}
