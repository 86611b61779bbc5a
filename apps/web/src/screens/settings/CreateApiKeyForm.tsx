import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { CopyField } from '../../components/CopyField';
import { errorInfo } from '../../lib/errors';
import { SCOPE_LABELS } from '../../lib/team';
import { useTRPC } from '../../trpc';

type Scope = 'read' | 'billing' | 'usage';
const SCOPES: Scope[] = ['read', 'billing', 'usage'];

/** Creates a key with chosen scopes and shows its secret the only time it exists in clear. */
export function CreateApiKeyForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const nameId = useId();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: () => {
        setName('');
        return queryClient.invalidateQueries({ queryKey: trpc.apiKeys.pathKey() });
      },
    }),
  );
  const toggle = (scope: Scope, on: boolean) => setScopes(on ? [...scopes, scope] : scopes.filter((s) => s !== scope));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: name.trim(), scopes });
  };
  return (
    <form className="team-form" onSubmit={submit} aria-label="Create an API key">
      <div className="field">
        <label htmlFor={nameId} className="field__label">
          Name
        </label>
        <input id={nameId} className="input" required value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <fieldset className="fieldset scopes">
        <legend className="field__label">Scopes</legend>
        {SCOPES.map((scope) => (
          <label key={scope} className="scopes__option">
            <input
              type="checkbox"
              className="checkbox"
              checked={scopes.includes(scope)}
              onChange={(e) => toggle(scope, e.target.checked)}
            />
            {SCOPE_LABELS[scope]}
          </label>
        ))}
      </fieldset>
      {create.error && (
        <p className="form-error" role="alert">
          {errorInfo(create.error).message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={create.isPending || scopes.length === 0}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </div>
      {create.data && (
        <CopyField
          label={`Secret of “${create.data.name}”`}
          value={create.data.key}
          hint="Copy it now: it is not shown again. Store it where the service reads its secrets."
        />
      )}
    </form>
  );
}
