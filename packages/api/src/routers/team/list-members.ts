import { listAccountMembers } from '../../services/team/members';
import { ownerOrAdminProcedure } from '../trpc';
import { listMembersInput, listMembersMeta, listMembersOutput } from './list-members.types';

export const listMembers = ownerOrAdminProcedure
  .meta(listMembersMeta)
  .input(listMembersInput)
  .output(listMembersOutput)
  .query(({ ctx }) => listAccountMembers(ctx.deps.database.db, ctx.principal));
