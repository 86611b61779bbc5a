import { changeMemberRole as changeRole } from '../../services/team/members';
import { ownerOrAdminProcedure } from '../trpc';
import { changeMemberRoleInput, changeMemberRoleMeta, changeMemberRoleOutput } from './change-member-role.types';

export const changeMemberRole = ownerOrAdminProcedure
  .meta(changeMemberRoleMeta)
  .input(changeMemberRoleInput)
  .output(changeMemberRoleOutput)
  .mutation(({ ctx, input }) => changeRole(ctx.deps.database.db, ctx.principal, input));
