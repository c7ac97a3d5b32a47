import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type Action, type Caller, mayAccessCompany, scopeOf } from '#domain/access';
import { checkCvr } from '#domain/cvr';
import type { CompanyRecord } from '#domain/parties';
import { type CompanyFormErrors, companyPage } from './company-page.ts';
import { ProgressChanged } from './company-progress-store.ts';
import { loadCompanyView } from './company-view.ts';
import {
  basePath,
  type FieldError,
  HttpError,
  htmlResponse,
  readBody,
  redirect,
  typedValues,
} from './http.ts';
import { loadCompany } from './partnership-store.ts';
import { retry } from './retry.ts';

/** One answer for an unknown CVR number and for a company the caller may not see. */
export const companyNotFound = () =>
  new HttpError(404, [{ field: 'cvr', message: 'Virksomheden findes ikke' }]);

/** The company of the `{cvr}` path parameter, when the caller may take `action` on it; otherwise a 404. */
export async function companyOf(
  event: APIGatewayProxyEvent,
  caller: Caller,
  action: Action,
): Promise<CompanyRecord> {
  const cvr = checkCvr(event.pathParameters?.cvr ?? '');
  if (!cvr.ok) throw companyNotFound();
  const company = await loadCompany(cvr.normalized);
  if (!company || !mayAccessCompany(caller, action, company.municipality, company.cvr))
    throw companyNotFound();
  return company;
}

/**
 * A POST from the company page or an API client. JSON gets the action's own answer; a form gets 303 back to the
 * company page, or the page again with a message per field and the values kept.
 */
export async function handleCompanyPost(
  event: APIGatewayProxyEvent,
  caller: Caller,
  company: CompanyRecord,
  form: CompanyFormErrors['form'],
  act: (data: unknown) => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  const body = readBody(event);
  if (body.kind === 'json') return act(body.data);
  const base = basePath(event);
  try {
    await act(body.data);
    return redirect(`${base}/companies/${company.cvr}`);
  } catch (error) {
    if (!(error instanceof HttpError) || error.statusCode === 404) throw error;
    const values = typedValues(body.data);
    const view = await loadCompanyView(company, {
      withPathways: scopeOf(caller.role, 'read-pathway') !== undefined,
    });
    return htmlResponse(
      error.statusCode,
      companyPage(base, caller, view, {
        form,
        cohortId: values.cohortId ?? '',
        errors: error.errors,
        values,
      }),
    );
  }
}

/**
 * A read-decide-write of a company's progress (social model, KPIs) that another writer may beat: read again and
 * decide again, at most three times, then ask the user to try again (409, never a 500).
 */
export function rereadOnConflict<T>(
  operation: string,
  conflict: FieldError,
  work: () => Promise<T>,
): Promise<T> {
  return retry(
    operation,
    {
      attempts: 3,
      baseDelayMs: 20,
      maxDelayMs: 200,
      retryable: (error) => error instanceof ProgressChanged,
      exhausted: () => new HttpError(409, [conflict]),
    },
    work,
  );
}
