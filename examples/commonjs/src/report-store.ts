import { injectable } from 'tsyringe';

export interface Report {
  readonly id: number;
  readonly tenantId: string;
  readonly title: string;
}

/** A service that controllers receive by constructor injection (tsyringe reads design:paramtypes). */
@injectable()
export class ReportStore {
  list(tenantId: string): Report[] {
    return [
      { id: 1, tenantId, title: 'Quarterly figures' },
      { id: 2, tenantId, title: 'Headcount' },
    ];
  }
}
