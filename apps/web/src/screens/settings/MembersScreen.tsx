import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeading } from '../../components/PageHeading';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { SettingsNotice } from '../../components/SettingsNotice';
import { useBillingRole } from '../../hooks/useBillingRole';
import { errorInfo } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { canManageTeam } from '../../lib/team';
import { useToast } from '../../lib/toast-context';
import { type Outputs, useTRPC } from '../../trpc';
import { AddMemberForm } from './AddMemberForm';

type Member = Outputs['members']['list']['members'][number];
type Pending = { kind: 'remove' | 'transfer'; member: Member } | null;

export function MembersScreen() {
  const trpc = useTRPC();
  const { role } = useBillingRole();
  const allowed = canManageTeam(role);
  const members = useQuery({ ...trpc.members.list.queryOptions({}), enabled: allowed });
  return (
    <>
      <PageHeading subtitle="Who can sign in to this account, and what they may do.">Members</PageHeading>
      {!allowed && <SettingsNotice role={role} />}
      {allowed && (
        <>
          <Panel title="Members" description="Owners and admins manage billing and the team; members see usage.">
            <QueryState
              what="members"
              isPending={members.isPending}
              error={members.error}
              onRetry={() => members.refetch()}
            >
              {members.data && <MemberTable members={members.data.members} viewerIsOwner={role === 'owner'} />}
            </QueryState>
          </Panel>
          <Panel title="Add a member" description="They get a sign-in link that works once, within 24 hours.">
            <AddMemberForm />
          </Panel>
        </>
      )}
    </>
  );
}

function useMemberActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const refresh = () => queryClient.invalidateQueries();
  const options = { onSuccess: refresh };
  return {
    changeRole: useMutation(
      trpc.members.changeRole.mutationOptions({
        onSuccess: refresh,
        onError: (err) => toast.show('error', `Could not change the role: ${errorInfo(err).message}`),
      }),
    ),
    remove: useMutation(trpc.members.remove.mutationOptions(options)),
    transfer: useMutation(trpc.members.transferOwnership.mutationOptions(options)),
  };
}

function MemberTable({ members, viewerIsOwner }: { members: readonly Member[]; viewerIsOwner: boolean }) {
  const [pending, setPending] = useState<Pending>(null);
  const actions = useMemberActions();
  const busy = actions.remove.isPending || actions.transfer.isPending;
  const error = actions.remove.error ?? actions.transfer.error;
  const confirm = () => {
    if (!pending) return;
    const done = { onSuccess: () => setPending(null) };
    if (pending.kind === 'remove') actions.remove.mutate({ id: pending.member.id }, done);
    else actions.transfer.mutate({ memberId: pending.member.id }, done);
  };
  return (
    <>
      <div className="table-wrap">
        <table className="table table--stack" data-testid="members">
          <caption className="sr-only">Members of this account</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <MemberRow
                key={m.id}
                member={m}
                viewerIsOwner={viewerIsOwner}
                onRole={(r) => actions.changeRole.mutate({ id: m.id, role: r })}
                onRemove={() => setPending({ kind: 'remove', member: m })}
                onTransfer={() => setPending({ kind: 'transfer', member: m })}
              />
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={pending !== null}
        title={pending?.kind === 'transfer' ? 'Make this member the owner?' : 'Remove this member?'}
        confirmLabel={pending?.kind === 'transfer' ? 'Make owner' : 'Remove member'}
        cancelLabel="Cancel"
        danger
        busy={busy}
        error={error ? errorInfo(error).message : null}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      >
        {pending?.kind === 'transfer' ? (
          <p>
            {pending.member.name} ({pending.member.email}) becomes the owner and you become an admin. Only the owner can
            change billing.
          </p>
        ) : (
          <p>
            {pending?.member.name} ({pending?.member.email}) loses access at once: their sessions, sign-in links and API
            keys stop working.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}

interface RowProps {
  member: Member;
  viewerIsOwner: boolean;
  onRole(role: 'admin' | 'member'): void;
  onRemove(): void;
  onTransfer(): void;
}

function MemberRow({ member: m, viewerIsOwner, onRole, onRemove, onTransfer }: RowProps) {
  const isOwner = m.role === 'owner';
  return (
    <tr data-member={m.email}>
      <td data-label="Name">{m.name}</td>
      <td data-label="Email">{m.email}</td>
      <td data-label="Role">
        {isOwner ? (
          <span className="role-badge">Owner</span>
        ) : (
          <select
            className="input input--small"
            aria-label={`Role of ${m.name}`}
            value={m.role}
            onChange={(e) => onRole(e.target.value as 'admin' | 'member')}
          >
            <option value="admin">Admin</option>
            <option value="member">Member</option>
          </select>
        )}
      </td>
      <td data-label="Added">{formatDate(m.createdAt)}</td>
      <td data-label="Actions" className="table__actions">
        {!isOwner && viewerIsOwner && (
          <button type="button" className="btn btn--ghost btn--small" onClick={onTransfer}>
            Make owner<span className="sr-only"> {m.name}</span>
          </button>
        )}
        {!isOwner && (
          <button type="button" className="btn btn--ghost btn--small" onClick={onRemove}>
            Remove<span className="sr-only"> {m.name}</span>
          </button>
        )}
      </td>
    </tr>
  );
}
