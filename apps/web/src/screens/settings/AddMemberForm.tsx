import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { CopyField } from '../../components/CopyField';
import { errorInfo } from '../../lib/errors';
import { useTRPC } from '../../trpc';

/** Adds an admin or member and shows the one-time sign-in link to send them. */
export function AddMemberForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = { email: useId(), name: useId(), role: useId() };
  const [form, setForm] = useState({ email: '', name: '', role: 'member' as 'admin' | 'member' });
  const add = useMutation(
    trpc.members.add.mutationOptions({
      onSuccess: () => {
        setForm({ email: '', name: '', role: 'member' });
        return queryClient.invalidateQueries({ queryKey: trpc.members.pathKey() });
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ email: form.email.trim(), role: form.role, ...(form.name.trim() ? { name: form.name.trim() } : {}) });
  };
  return (
    <form className="team-form" onSubmit={submit} aria-label="Add a member">
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.email} className="field__label">
            Email
          </label>
          <input
            id={ids.email}
            className="input"
            type="email"
            required
            autoComplete="off"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.name} className="field__label">
            Name (optional)
          </label>
          <input
            id={ids.name}
            className="input"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.role} className="field__label">
            Role
          </label>
          <select
            id={ids.role}
            className="input"
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value as 'admin' | 'member' })}
          >
            <option value="member">Member: sees usage and credits</option>
            <option value="admin">Admin: also manages the team and keys</option>
          </select>
        </div>
      </div>
      {add.error && (
        <p className="form-error" role="alert">
          {errorInfo(add.error).message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add member'}
        </button>
      </div>
      {add.data && (
        <CopyField
          label={`Sign-in link for ${add.data.member.email}`}
          value={add.data.signInUrl}
          hint="Send it to them: it signs them in once, within 24 hours."
        />
      )}
    </form>
  );
}
