import { injectable } from 'tsyringe';

/** Your own directory of who is in which group, by tenant and user object id (here: in memory). */
@injectable()
export class Directory {
  private readonly groups = new Map<string, readonly string[]>();

  addMember(tenantId: string, userId: string, groups: readonly string[]): void {
    this.groups.set(`${tenantId}/${userId}`, groups);
  }

  groupsOf(tenantId: string, userId: string): readonly string[] {
    return this.groups.get(`${tenantId}/${userId}`) ?? [];
  }
}
