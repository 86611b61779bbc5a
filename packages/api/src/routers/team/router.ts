import { addMember } from './add-member';
import { changeMemberRole } from './change-member-role';
import { createApiKey } from './create-api-key';
import { listApiKeys } from './list-api-keys';
import { listMembers } from './list-members';
import { removeMember } from './remove-member';
import { revokeApiKey } from './revoke-api-key';
import { transferOwnership } from './transfer-ownership';

/** The account's API keys: owner or admin (a key needs the billing scope). */
export const apiKeysRouter = {
  list: listApiKeys,
  create: createApiKey,
  revoke: revokeApiKey,
};

/** The account's members: owner or admin; only the owner transfers ownership. */
export const membersRouter = {
  list: listMembers,
  add: addMember,
  changeRole: changeMemberRole,
  remove: removeMember,
  transferOwnership,
};
