import { type OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';

/** An ACTIVE account of the organization. */
export interface OrgAccount {
  readonly id: string;
  readonly name?: string;
}

/** Every ACTIVE account of the organization (Organizations ListAccounts, all pages); suspended ones are skipped. */
export async function listOrgAccounts(client: OrganizationsClient): Promise<OrgAccount[]> {
  const accounts: OrgAccount[] = [];
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const a of page.Accounts ?? []) {
      const state = a.State ?? a.Status;
      if (a.Id && state === 'ACTIVE') accounts.push({ id: a.Id, name: a.Name });
    }
  }
  return accounts.sort((a, b) => a.id.localeCompare(b.id));
}
