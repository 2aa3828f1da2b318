// Typed use of the TypeScript types that openapi-typescript generates from openapi/ocp.yaml: the
// proof that the published spec serves a language other than Python. tools/publish.py generates
// the types (as ocp.ts) next to a copy of this file and compiles both with `tsc --noEmit
// --strict` (and the stricter options of tools/ts/tsconfig.json). Nothing here runs or ships.
//
// What holds for every operation and schema (typed parameters, responses, pages, enums) is
// checked by coverage.ts, which publish.py writes from the spec beside this file. This file is
// the hand-written use of what the spec says of particular operations and schemas: the open enum
// `status`, a task as the reference page's sample sends it, a page of tasks.
//
// Every line must compile, and every `@ts-expect-error` must meet an error on its next line: so
// the file fails to compile both when the types lose something the spec promises (a field, a
// parameter) and when they stop rejecting what the spec forbids (a typo in a known status, a
// missing required parameter).
import type { components, operations, paths } from "./ocp";

type Schemas = components["schemas"];
export type DataBackupHistoryWrapperTask = Schemas["DataBackupHistoryWrapperTask"];
export type DataBackupTaskStatus = Schemas["DataBackupTaskStatus"];
export type ResponseEnvelope = Schemas["ResponseEnvelope"];
export type Page = Schemas["Page"];
export type PageInfo = Schemas["PageInfo"];
export type ErrorResponse = Schemas["ErrorResponse"];

/** A page whose items have a type: what a list operation's `data` is (Page, refined by allOf). */
export type PageOf<Item> = Omit<Page, "contents"> & { contents: Item[] };

type ListDataBackupTasks = operations["listDataBackupTasks"];
export type ListDataBackupTasksQuery = ListDataBackupTasks["parameters"]["query"];
export type ListDataBackupTasksPath = ListDataBackupTasks["parameters"]["path"];
export type ListDataBackupTasksPage =
  ListDataBackupTasks["responses"][200]["content"]["application/json"];

// The operation's path is a key of `paths`: a path the spec does not have does not compile.
export const LIST_DATA_BACKUP_TASKS: keyof paths =
  "/api/v2/ob/clusters/{id}/backup/task/dataBackupTasks";

// --- The open enum `status` --------------------------------------------------------------------

// A known literal is a status...
export const done: DataBackupHistoryWrapperTask["status"] = "DONE";
// ...and so is any string a newer OCP sends: the set is open.
export const fromNewerOcp: DataBackupHistoryWrapperTask["status"] = "PAUSED_BY_OPERATOR";
// The named set of known values stays closed, so a typo is caught where it is used.
// @ts-expect-error "DONNE" is not a known status
export const typo: DataBackupTaskStatus = "DONNE";

/** Narrows a status of the open set to one of the known values. */
export function isKnownStatus(status: string): status is DataBackupTaskStatus {
  const known: readonly string[] = [
    "BEGINNING",
    "INITIALIZING",
    "DOING",
    "DONE",
    "FAILED",
    "CANCELING",
    "CANCELED",
    "OVERDUE",
    "UNKNOWN",
  ] satisfies readonly DataBackupTaskStatus[];
  return known.includes(status);
}

/** What a person is told about a task's status: known values by name, any other as it came. */
export function describeStatus(status: DataBackupHistoryWrapperTask["status"]): string {
  if (!isKnownStatus(status)) {
    return `unknown to this client (${status})`;
  }
  switch (status) {
    case "DONE":
      return "finished";
    case "FAILED":
    case "CANCELED":
      return "stopped";
    default:
      return "in progress or pending";
  }
}

// --- One task, as the reference page's sample sends it ------------------------------------------

export const sampleTask: DataBackupHistoryWrapperTask = {
  backupMode: "PHYSICAL_BACKUP",
  backupSetId: 23,
  backupUri: "file:///obbackup/",
  clusterId: 1000005,
  clusterName: "yc0820_17",
  clusterType: "PRIMARY",
  dataBackupTaskType: "FULL_BACKUP",
  dataSecondaryBackupTaskIds: [14],
  dataVersion: 32,
  finishTime: "2021-09-16T17:25:05.943+0800",
  obClusterId: 5,
  startTime: "2021-09-16T17:25:02.993+0800",
  status: "DONE",
  taskId: 23,
  tenantId: 0,
};

const { taskId: _taskId, ...sampleWithoutTaskId } = sampleTask;
// @ts-expect-error `taskId` is required
export const withoutTaskId: DataBackupHistoryWrapperTask = sampleWithoutTaskId;

// @ts-expect-error `taskId` is an int64, a number in TypeScript, not a string
export const textTaskId: DataBackupHistoryWrapperTask = { ...sampleTask, taskId: "23" };

// --- The page and its page information ----------------------------------------------------------

// The answer is the envelope (allOf) with a Page in `data` whose `contents` the operation
// refines (allOf) to tasks: it is a page of tasks...
export function tasksOf(response: ListDataBackupTasksPage): PageOf<DataBackupHistoryWrapperTask> {
  return response.data;
}
// ...and not a page of anything else.
// @ts-expect-error the contents of a page of tasks are tasks, not strings
export const notStrings: PageOf<string> = tasksOf({} as ListDataBackupTasksPage);

/** One line per task and a header from the page information. */
export function summarize(response: ListDataBackupTasksPage): string {
  const info: PageInfo = response.data.page;
  // `contents` is `unknown[] & DataBackupHistoryWrapperTask[]` (Page's items are anything, the
  // operation's are tasks); TypeScript picks the first array's `map`, so the callback names the
  // task type (or use `tasksOf(response).contents`).
  const lines = response.data.contents.map(
    (task: DataBackupHistoryWrapperTask) =>
      `${task.taskId} ${task.clusterName} ${describeStatus(task.status)}` +
      ` ${task.finishTime ?? "(running)"}`,
  );
  const header = `page ${info.number} of ${info.totalPages}, ${info.totalElements} task(s)`;
  const trace: ResponseEnvelope["traceId"] = response.traceId;
  return [header, ...lines, `trace ${trace}`].join("\n");
}

/** Whether another page follows this one (`number` is 1-based). */
export function hasNextPage(info: PageInfo): boolean {
  return info.number < info.totalPages;
}

// --- The operation's parameters -----------------------------------------------------------------

export const firstPage: ListDataBackupTasksQuery = { page: 1, size: 100 };
export const oneDay: ListDataBackupTasksQuery = {
  page: 1,
  size: 100,
  startTime: "2021-09-16T00:00:00.000+08:00",
  endTime: "2021-09-17T00:00:00.000+08:00",
  backupSetId: 23,
};
// @ts-expect-error `size` is a required query parameter
export const withoutSize: ListDataBackupTasksQuery = { page: 1 };
// @ts-expect-error `backupSetId` is an int64, not a string
export const textBackupSetId: ListDataBackupTasksQuery = { page: 1, size: 10, backupSetId: "23" };
// @ts-expect-error the spec has no `clusterName` query parameter
export const unknownParameter: ListDataBackupTasksQuery = { page: 1, size: 10, clusterName: "x" };

/** The request URL, query parameters percent-encoded (`+` of an offset becomes `%2B`). */
export function listDataBackupTasksUrl(
  baseUrl: string,
  path: ListDataBackupTasksPath,
  query: ListDataBackupTasksQuery,
): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) {
      search.set(name, String(value));
    }
  }
  const route = LIST_DATA_BACKUP_TASKS.replace("{id}", String(path.id));
  return `${baseUrl}${route}?${search.toString()}`;
}

/** The error of a failed call, with OCP's error body. */
export class OcpApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorResponse,
  ) {
    super(`OCP error ${body.error.code}: ${body.error.message} (trace ${body.traceId})`);
  }
}

/** Calls the operation with `fetch` and returns the typed page. */
export async function listDataBackupTasks(
  baseUrl: string,
  path: ListDataBackupTasksPath,
  query: ListDataBackupTasksQuery,
  headers: Record<string, string> = {},
): Promise<ListDataBackupTasksPage> {
  const response = await fetch(listDataBackupTasksUrl(baseUrl, path, query), {
    headers: { "Content-Type": "application/json", ...headers },
  });
  const body: unknown = await response.json();
  if (!response.ok) {
    throw new OcpApiError(response.status, body as ErrorResponse);
  }
  return body as ListDataBackupTasksPage;
}
