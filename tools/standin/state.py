"""The stand-in's state: the clusters it manages, their backup strategies, and the OCP tasks
that operations start, so that what one answer says the next ones agree with.

Read from the spec (generic):

- clusters: a path parameter `id` after `clusters` (`spec_model.path_resource`) names a
  cluster; the clusters are those of the listing at `/.../clusters` (`listClusters`: its
  reference items first), those the other listings' reference items live in (`clusterId`), and
  generated ones, `clusters` in all. That listing lists exactly them; every listing scoped by a
  cluster has items in each; any operation under `/clusters/{id}/` answers OCP's 404 (10002) for
  another id. A cluster's fields elsewhere follow its listing item: `clusterId` is its `id`,
  `clusterName` its `name`, `obClusterId` its `obClusterId`, a nested `cluster` object its own;
- a resource at one path with GET, POST and DELETE (the backup strategy) is a thing a cluster
  has or not: POST creates it (400 when it exists), GET reads it, PATCH/PUT replaces what the
  body gives, DELETE removes it (404 when there is none, for GET/PATCH/DELETE). What it reads is
  the GET's model, its values from the body where the names agree, the rest generated;
- an answer whose example names `taskIdList`s starts an OCP task instance for each (the ids
  are replaced by the new tasks'): its subtasks go through the statuses the spec's
  `x-ocp-states` give (`waiting`, `running`, then `succeeded` or `failed`), one after the other,
  over `task_seconds` in all; `getTaskInstance`, `getSubtaskInstanceLog`, `listTaskInstances`
  and the subtask and task operations (retry, rollback, skip, cancel) see and act on them;
- the known tasks are exactly those `listTaskInstances` lists: the ones started here and the
  listing's own (its example's and generated ones, which do not move on their own). An
  operation on one task (a path parameter after the listing's path) answers OCP's 404 (10002)
  for another task id, or a subtask id the task does not have;
- a task's retry and rollback act on a `failed` task only (any other is answered as it is,
  see `World._acts`); a rollback undoes every subtask that ran, the last first (each
  `running`, then `waiting` again, its `operation` ROLLBACK), and the task then ends
  `succeeded`, as the reference sample's rolled-back task shows; what the task made keeps
  its failure. A task whose rollback failed is rolled back again, not retried; one whose
  subtasks that ran have `prohibitRollback` is not rolled back.

What the spec says only in prose, and is therefore written here, each marked `# prose:`: the
data backup task a `backUpNow` makes and the recovery task a `restoreTenant` makes (their
statuses and fields), the overview's last backup time and log backup delay (from the cluster's
data and log backup tasks), and what `checkpoint` and `delay` of a running log backup mean.
"""

from __future__ import annotations

import copy
import datetime
import random
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import spec_model as sm

from .data import OCP_TZ, Clock, Store, Values, envelope_time, parse_time
from .examples import first_example_body
from .faults import Faults
from .listing import Listing

ILLEGAL_ARGUMENT = 10001
NOT_FOUND = 10002
#: Subtasks of a task the stand-in starts.
SUBTASKS = 4
DEFAULT_TASK_SECONDS = 3.0
DEFAULT_CLUSTERS = 3
#: The ids of each other cluster's items start at a multiple of this (`Store.id_offset`).
ID_BLOCK = 1_000_000
TASK_ID_LIST = "taskIdList"
#: What a POST on a task or a subtask does: the last word of its path.
RETRY, ROLLBACK, SKIP, CANCEL = "retry", "rollback", "skip", "cancel"


class Refusal(Exception):
    """An OCP error answer for a request the state refuses (status, code, message)."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _operation_name(action: str) -> str:
    """The `TaskOperation` an action leaves on a task or subtask (`retry` -> `RETRY`)."""
    return action.upper()


def _has(model: sm.Model | None, name: str) -> bool:
    return model is not None and any(p.json_name == name for p in model.properties)


def _capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def _state_of(spec: sm.Spec, enum: str) -> dict[str, str]:
    """The `x-ocp-states` state of each status of an enum (`PENDING` -> `waiting`)."""
    schema = spec.document.get("components", {}).get("schemas", {}).get(enum, {})
    return {str(status): str(state) for status, state in schema.get("x-ocp-states", {}).items()}


def _states(spec: sm.Spec, enum: str) -> dict[str, str]:
    """The first status of each `x-ocp-states` state of an enum (`running` -> `RUNNING`); a
    `waiting` one is the `running` one when the enum has none (a task starts running)."""
    states: dict[str, str] = {}
    for status, state in _state_of(spec, enum).items():
        states.setdefault(state, status)
    if "running" in states:
        states.setdefault("waiting", states["running"])
    for state in ("waiting", "running", "succeeded", "failed"):
        if state not in states:
            raise sm.SpecError(f"{enum}: x-ocp-states names no {state!r} status")
    return states


def _replace(value: Any, fields: Mapping[str, Any], nested: str, record: Mapping[str, Any]) -> Any:
    """``value`` with every key of ``fields`` set to its value, at any depth, and an object
    under the key ``nested`` (`cluster`) taking the record's values of its own keys."""
    if isinstance(value, list):
        return [_replace(item, fields, nested, record) for item in value]
    if not isinstance(value, Mapping):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        if key in fields:
            result[key] = fields[key]
        elif key == nested and isinstance(item, Mapping):
            result[key] = {k: record.get(k, v) for k, v in item.items()}
        else:
            result[key] = _replace(item, fields, nested, record)
    return result


def _leaves(value: Any, into: dict[str, Any]) -> dict[str, Any]:
    """The scalar values of an object by their keys, at any depth (the first of a name wins)."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, Mapping | list):
                _leaves(item, into)
            else:
                into.setdefault(str(key), item)
    elif isinstance(value, list):
        for item in value:
            _leaves(item, into)
    return into


def _nested(value: Any, name: str) -> Any:
    """The value of the first key ``name`` at any depth, None without one."""
    if isinstance(value, Mapping):
        if name in value:
            return value[name]
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found = _nested(item, name)
            if found is not None:
                return found
    return None


def _task_id_lists(value: Any) -> Iterator[list[Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == TASK_ID_LIST and isinstance(item, list):
                yield item
            else:
                yield from _task_id_lists(item)
    elif isinstance(value, list):
        for item in value:
            yield from _task_id_lists(item)


@dataclass
class Task:
    """A task instance the stand-in knows (started or listed), and where its subtasks are."""

    record: dict[str, Any]  # the TaskInstance, its subtasks included
    step: float  # seconds each subtask runs
    order: list[int] = field(default_factory=list)  # the subtasks (indices) in the order they run
    cursor: int = 0  # the place in `order` of the subtask running (== len(order): all done)
    cursor_started: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(OCP_TZ))
    fail_at: int | None = None  # the subtask (index) that fails (a fault)
    logs: dict[int, list[str]] = field(default_factory=dict)
    on_change: Callable[[Task], None] | None = None  # after each move (what it made follows)
    ended: bool = False
    rollback: bool = False  # its operation is a rollback: what ran is undone, last first

    @property
    def id(self) -> int:
        return int(self.record["id"])

    @property
    def subtasks(self) -> list[dict[str, Any]]:
        subtasks: list[dict[str, Any]] = self.record.get("subtasks") or []
        return subtasks

    def subtask(self, subtask_id: Any) -> dict[str, Any]:
        for subtask in self.subtasks:
            if subtask["id"] == subtask_id:
                return subtask
        raise Refusal(404, NOT_FOUND, f"Not found: task {self.id} has no subtask {subtask_id}.")


class World:
    """The state behind the answers (see the module docstring); thread-safe."""

    def __init__(
        self,
        spec: sm.Spec,
        listings: Mapping[str, tuple[Listing, Store]],
        data: Mapping[str, Any],
        *,
        faults: Faults,
        seed: int,
        now: datetime.datetime,
        clusters: int = DEFAULT_CLUSTERS,
        task_seconds: float = DEFAULT_TASK_SECONDS,
        reference: bool = True,
    ) -> None:
        if clusters < 1:
            raise ValueError("the stand-in needs at least one cluster")
        if not 0 <= task_seconds < 86_400:
            raise ValueError(f"task_seconds must be between 0 and a day, got {task_seconds!r}")
        self.spec = spec
        self.listings = listings
        self.data = data
        self.faults = faults
        self.now = now
        self.task_seconds = task_seconds
        self.reference = reference
        self._lock = threading.RLock()
        self._seed = seed
        self._rng = random.Random(f"{seed}/state")
        self.extra: dict[str, dict[tuple[Any, ...], Store]] = {}  # other clusters' items
        self._values = Values(spec, self._rng)
        self._resource, self._prefix = self._find_resource()
        self.records: dict[Any, dict[str, Any]] = {}  # cluster id -> its listing item
        self._make_clusters(clusters)
        self.policies: dict[Any, dict[str, Any]] = {}
        self._policy_path = self._find_policy_path()
        self._policy_ids = iter(range(1, 1 << 62))
        self._make_policies()
        self.tasks: dict[int, Task] = {}
        self._task_ids = iter(range(self._first_task_id(), 1 << 62))
        self._subtask_ids = iter(range(self._first_task_id() * 10, 1 << 62))
        # Tasks are started only where the spec has OCP's task models.
        self._tasking = {"TaskInstance", "SubtaskInstance"} <= set(spec.models)
        if self._tasking:
            self._task_states = _states(spec, self._enum_of("TaskInstance", "status"))
            subtask_enum = self._enum_of("SubtaskInstance", "status")
            self._subtask_states = _states(spec, subtask_enum)
            self._subtask_state_of = _state_of(spec, subtask_enum)
            self._adopt_listed_tasks()
        self._recent_log_checkpoints()

    # --- clusters --------------------------------------------------------------------------------

    def _find_resource(self) -> tuple[str, str]:
        """The resource a path `id` names (`cluster`) and its collection's path."""
        for listing, _ in self.listings.values():
            for scope in listing.scopes:
                path = listing.operation.path
                placeholder = "/{" + scope.parameter + "}"
                if placeholder in path:
                    return scope.resource, path.split(placeholder, 1)[0]
        return "", ""

    def _collection(self) -> tuple[Listing, Store] | None:
        for listing, store in self.listings.values():
            if listing.operation.path == self._prefix and not listing.scopes:
                return listing, store
        return None

    def _scoped(self) -> list[tuple[Listing, Store]]:
        return [
            (listing, store)
            for listing, store in self.listings.values()
            if [s.resource for s in listing.scopes] == [self._resource]
        ]

    def field_names(self, record_key: str) -> list[str]:
        """The names a cluster's field has in other objects (`name` -> `clusterName`)."""
        names = [self._resource + _capital(record_key)]
        if _capital(self._resource) in record_key:
            names.append(record_key)  # `obClusterId`: the same name everywhere
        return names

    def fields(self, cluster: Any) -> dict[str, Any]:
        """A cluster's fields as other objects name them (`clusterId`, `clusterName`, ...)."""
        record = self.records[cluster]
        return {name: v for k, v in record.items() for name in self.field_names(k)
                if not isinstance(v, Mapping | list)}  # fmt: skip

    def _make_clusters(self, count: int) -> None:
        collection = self._collection()
        if not self._resource or collection is None:
            return
        listing, store = collection
        id_name = listing.id_property or "id"
        reference = len(listing.reference_items) if self.reference else 0
        ids: list[Any] = [item.get(id_name) for item in store.items()[:reference]]
        known: dict[Any, dict[str, Any]] = {}  # scope fields seen in other listings' items
        for _, scoped_store in self._scoped():
            for scope in scoped_store.scopes():
                ids.append(scope[0])
                first: dict[str, Any] = next(iter(scoped_store.select(scope, [])), {})
                known.setdefault(scope[0], dict(first))
        ids = list(dict.fromkeys(i for i in ids if i is not None))
        while len(ids) < count:
            ids.append(max(int(i) for i in ids) + 1 if ids else 1)
        ids = ids[: max(count, reference)]
        store.keep(reference)
        model = listing.model
        for item in store.items():
            self.records[item[id_name]] = item
        for cluster in ids:
            if cluster in self.records or model is None:
                continue
            fixed: dict[str, Any] = {id_name: cluster}
            seen = known.get(cluster, {})
            for prop in model.properties:
                for name in self.field_names(prop.json_name):
                    if name in seen and prop.json_name not in fixed:
                        fixed[prop.json_name] = seen[name]
            if _has(model, "name") and "name" not in fixed:
                fixed["name"] = f"{self._resource}-{cluster}"
            anchor = self.now - datetime.timedelta(days=self._rng.randint(30, 400))
            item = store.make(fixed, anchor)
            store.put(item)  # above the reference items: newer ids first, as elsewhere
            self.records[cluster] = item
        # In the order the listing lists them.
        self.records = {item[id_name]: self.records[item[id_name]] for item in store.items()}
        # Each other cluster's items in a store of their own, numbered in a block of ids
        # above the others (ids are unique in a listing), so that a listing's store keeps
        # the items of its first cluster alone, as when there was one.
        for offset, cluster in enumerate(self.records, start=1):
            for scoped, scoped_store in self._scoped():
                if scoped_store.scope_exists((cluster,)) or scoped.model is None:
                    continue
                props = {p.json_name: p.type for p in scoped.model.properties}
                typed = {k: (props[k], v) for k, v in self.fields(cluster).items() if k in props}
                typed[scoped.scopes[0].property] = (props[scoped.scopes[0].property], cluster)
                self.extra.setdefault(scoped.operation_id, {})[(cluster,)] = Store(
                    self.spec,
                    scoped,
                    seed=f"{self._seed}/{cluster}",
                    generated=scoped_store.generated,
                    use_reference=self.reference,
                    serve_reference=False,
                    scope_values=typed,
                    now=self.now,
                    id_offset=offset * ID_BLOCK,
                )

    def store_for(self, operation_id: str, scope: tuple[Any, ...]) -> Store | None:
        """The store of a listing's items in a scope (a cluster's), None when there is none."""
        extra = self.extra.get(operation_id, {}).get(scope)
        if extra is not None:
            return extra
        entry = self.listings.get(operation_id)
        if entry is not None and entry[1].scope_exists(scope):
            return entry[1]
        return None

    @property
    def clusters(self) -> list[Any]:
        """The ids of the clusters, as their listing lists them."""
        return list(self.records)

    def _cluster_parameter(self, operation: sm.Operation) -> str | None:
        """The path parameter that names a cluster (`/clusters/{id}`: `id`, as
        `spec_model.path_resource` reads it), None when none does."""
        names = [p.name for p in operation.parameters if p.location == "path"]
        found = [n for n in names if sm.path_resource(operation.path, n) == self._resource]
        return found[0] if found and self._resource else None

    def cluster_of(self, operation: sm.Operation, path: Mapping[str, Any]) -> Any:
        """The cluster an operation's path names (None: none), 404 when it does not exist."""
        name = self._cluster_parameter(operation)
        if name is None or name not in path:
            return None
        cluster = path[name]
        if self.records and cluster not in self.records:
            raise Refusal(404, NOT_FOUND, f"Not found: {self._resource} {cluster} does not exist.")
        return cluster

    def _localized(self, value: Any, cluster: Any) -> Any:
        if cluster is None or cluster not in self.records:
            return copy.deepcopy(value)
        return _replace(value, self.fields(cluster), self._resource, self.records[cluster])

    # --- the strategy (a resource a cluster has or not) ------------------------------------------

    def _find_policy_path(self) -> str | None:
        methods: dict[str, dict[str, sm.Operation]] = {}
        for op in self.spec.operations:
            methods.setdefault(op.path, {})[op.method] = op
        for path, ops in methods.items():
            get = ops.get("GET")
            if (
                get is not None
                and get.result.shape == "object"
                and isinstance(get.result.data, sm.ModelType)
                and "POST" in ops
                and "DELETE" in ops
                and path.startswith(self._prefix + "/{")
            ):
                return path
        return None

    def _policy_model(self) -> sm.Model:
        assert self._policy_path is not None
        get = next(
            o for o in self.spec.operations if o.path == self._policy_path and o.method == "GET"
        )
        assert isinstance(get.result.data, sm.ModelType)
        return self.spec.models[get.result.data.name]

    def _make_policies(self) -> None:
        if self._policy_path is None:
            return
        post = next(
            o for o in self.spec.operations if o.path == self._policy_path and o.method == "POST"
        )
        body = first_example_body(self.spec, post) if self.reference else None
        if body is None and post.body is not None:
            body = self._values.model(self.spec.models[post.body.type.name], self._clock())
        # Every cluster but the last has a strategy: one can be created there.
        for cluster in self.clusters[:-1] if len(self.clusters) > 1 else []:
            self.policies[cluster] = self._policy(cluster, body or {}, None)

    def _clock(self, days: int = 0) -> Clock:
        return Clock(self.now - datetime.timedelta(days=days), self._rng)

    def _policy(
        self, cluster: Any, body: Mapping[str, Any], old: dict[str, Any] | None
    ) -> dict[str, Any]:
        model = self._policy_model()
        now = datetime.datetime.now(OCP_TZ)
        fixed: dict[str, Any] = {}
        for prop in model.properties:
            name = prop.json_name
            if name in body:
                fixed[name] = copy.deepcopy(body[name])
            elif old is not None and name in old:
                fixed[name] = old[name]
        fields = self.fields(cluster)
        fixed.update(
            {p.json_name: fields[p.json_name] for p in model.properties if p.json_name in fields}
        )
        if _has(model, "id"):
            fixed["id"] = old["id"] if old is not None and "id" in old else next(self._policy_ids)
        created = self._time(model, "createTime", now if old is None else None)
        if created is not None:
            fixed.setdefault("createTime", created)
        updated = self._time(model, "updateTime", now)
        if updated is not None:
            fixed["updateTime"] = updated
        return self._values.model(model, self._clock(days=30), fixed)

    def _time(self, model: sm.Model, name: str, moment: datetime.datetime | None) -> str | None:
        """A time for a property of a model, spelled as its pattern asks; None without one."""
        if moment is None or not _has(model, name):
            return None
        kind = model.property(name).type
        if not isinstance(kind, sm.DateTimeType):
            return None
        return str(self._values.value(kind, name, Clock(moment, self._rng)))

    def _policy_answer(self, operation: sm.Operation, cluster: Any, body: Any) -> tuple[bool, Any]:
        method = operation.method
        policy = self.policies.get(cluster)
        if method in ("GET", "PATCH", "PUT", "DELETE") and policy is None:
            raise Refusal(
                404, NOT_FOUND, f"Not found: {self._resource} {cluster} has no backup strategy."
            )
        if method == "GET":
            return True, copy.deepcopy(policy)
        if method == "POST":
            if policy is not None:
                raise Refusal(
                    400, ILLEGAL_ARGUMENT,
                    f"{_capital(self._resource)} {cluster} already has a backup strategy: "
                    "modify it (PATCH) or delete it first.",
                )  # fmt: skip
            self.policies[cluster] = self._policy(cluster, body or {}, None)
        elif method == "DELETE":
            del self.policies[cluster]
        else:
            self.policies[cluster] = self._policy(cluster, body or {}, policy)
        return True, self._started(operation, cluster, body)

    # --- tasks -----------------------------------------------------------------------------------

    def _enum_of(self, model: str, prop: str) -> str:
        kind = self.spec.models[model].property(prop).type
        if not isinstance(kind, sm.EnumType):
            raise sm.SpecError(f"{model}.{prop} is no enum: the stand-in's tasks need its states")
        return kind.name

    def _first_task_id(self) -> int:
        ids = [0]
        store = self._task_store()
        if store is not None:
            ids += [int(item["id"]) for item in store.items() if isinstance(item.get("id"), int)]
        for value in self.data.values():
            if isinstance(value, Mapping) and isinstance(value.get("id"), int):
                ids.append(int(value["id"]))
            ids += [i for lst in _task_id_lists(value) for i in lst if isinstance(i, int)]
        return max(ids) + 1

    def _task_store(self) -> Store | None:
        for listing, store in self.listings.values():
            if isinstance(listing.item, sm.ModelType) and listing.item.name == "TaskInstance":
                return store
        return None

    def _adopt_listed_tasks(self) -> None:
        """The tasks the task listing lists (the spec's example's, generated ones) are known as
        those started here are: read, retried, rolled back alike. They do not move on their own
        (OCP runs them elsewhere); an operation on one moves it as it would a started one."""
        store = self._task_store()
        for item in store.items() if store is not None else []:
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), int):
                continue
            record = copy.deepcopy(dict(item))
            count = len(record.get("subtasks") or [])
            task = Task(record, self.task_seconds / max(count, 1), order=list(range(count)))
            task.cursor, task.ended = count, True
            task.rollback = record.get("operation") == _operation_name(ROLLBACK)
            self.tasks[task.id] = task

    def _task_parameters(self, operation: sm.Operation) -> tuple[str, str | None] | None:
        """The path parameters naming a task and a subtask of it (None: none) in an operation
        on one task, as the task listing's path and a parameter after it say; None for others
        (and when the spec has no task models: the generic answers go)."""
        store = self._task_store()
        if not self._tasking or store is None:
            return None
        prefix = store.listing.operation.path + "/{"
        if not operation.path.startswith(prefix):
            return None
        task = operation.path[len(prefix) :].split("}", 1)[0]
        others = [p.name for p in operation.parameters if p.location == "path" and p.name != task]
        return task, others[0] if others else None

    def _started(self, operation: sm.Operation, cluster: Any, body: Any) -> Any:
        """The answer's example with this cluster's fields and a new task for each task list."""
        data = self._localized(self.data.get(operation.id), cluster)
        for ids in _task_id_lists(data):
            if ids and self._tasking:
                task = self._start(operation, cluster, body)
                ids[:] = [task.id]
        return data

    def _start(self, operation: sm.Operation, cluster: Any, body: Any) -> Task:
        now = datetime.datetime.now(OCP_TZ)
        task_model = self.spec.models["TaskInstance"]
        sub_model = self.spec.models["SubtaskInstance"]
        waiting = self._subtask_states["waiting"]
        subtask_ids = [next(self._subtask_ids) for _ in range(SUBTASKS)]
        subtasks = []
        for index, subtask_id in enumerate(subtask_ids):
            name = f"Step {index + 1} of {SUBTASKS}: {operation.summary or operation.id}"
            fixed = {
                "id": subtask_id, "name": name, "description": name, "status": waiting,
                "operation": self._first("TaskOperation"), "seriesId": index,
                "upstreams": subtask_ids[index - 1 : index] if index else [],
                "downstreams": subtask_ids[index + 1 : index + 2], "parallelIdx": -1,
                "prohibitRollback": False,
            }  # fmt: skip
            subtask = self._values.model(sub_model, self._clock(), fixed)
            subtasks.append(self._without_times(sub_model, subtask))
        fixed = {
            "id": next(self._task_ids),
            "name": operation.summary or operation.id,
            "status": self._task_states["running"],
            "operation": self._first("TaskOperation"),
            "prohibitRollback": False,
            "subtasks": subtasks,
        }
        if cluster is not None:
            fixed.update({k: v for k, v in self.fields(cluster).items() if _has(task_model, k)})
        record = self._localized(
            self._without_times(task_model, self._values.model(task_model, self._clock(), fixed)),
            cluster,
        )
        for name in ("createTime", "startTime"):
            spelled = self._time(task_model, name, now)
            if spelled is not None:
                record[name] = spelled
        fail_at = SUBTASKS - 2 if self.faults.take_task_failure() else None
        order = list(range(SUBTASKS))
        task = Task(
            record, self.task_seconds / SUBTASKS, order, cursor_started=now, fail_at=fail_at
        )
        task.logs = {s["id"]: [] for s in subtasks}
        link = LINKS.get(operation.id)
        if link is not None:
            link(self, task, cluster, body)
        self.tasks[task.id] = task
        self._advance(task, now)
        return task

    def _first(self, enum: str) -> str:
        return str(self.spec.enums[enum].values[0])

    @staticmethod
    def _without_times(model: sm.Model, value: dict[str, Any]) -> dict[str, Any]:
        """Without the generated times: a task's times are when it really ran."""
        times = {p.json_name for p in model.properties if isinstance(p.type, sm.DateTimeType)}
        return {k: v for k, v in value.items() if k not in times}

    def _spell(self, model: str, name: str, moment: datetime.datetime) -> str | None:
        return self._time(self.spec.models[model], name, moment)

    def _log(
        self, task: Task, subtask: dict[str, Any], moment: datetime.datetime, text: str
    ) -> None:
        lines = task.logs.setdefault(subtask["id"], [])
        stamp = moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
        lines.append(f"{stamp}  {text}")

    def _run(self, task: Task, subtask: dict[str, Any], moment: datetime.datetime) -> None:
        subtask["status"] = self._subtask_states["running"]
        spelled = self._spell("SubtaskInstance", "startTime", moment)
        if spelled is not None:
            subtask["startTime"] = spelled
        subtask.pop("finishTime", None)
        when = moment.isoformat(timespec="milliseconds")
        header = f"############{{{subtask['operation']}}}{{{when}}}############"
        task.logs.setdefault(subtask["id"], []).append(header)
        self._log(
            task,
            subtask,
            moment,
            f"INFO  Run subtask, id={subtask['id']}, task_instance_id={task.id}",
        )

    def _finish(
        self, task: Task, subtask: dict[str, Any], moment: datetime.datetime, ok: bool
    ) -> None:
        # A subtask rolled back waits again (OCP Express, SubtaskInstanceService.setExecuteEnd).
        state = ("waiting" if task.rollback else "succeeded") if ok else "failed"
        subtask["status"] = self._subtask_states[state]
        spelled = self._spell("SubtaskInstance", "finishTime", moment)
        if spelled is not None:
            subtask["finishTime"] = spelled
        if ok:
            done = "rolled back" if task.rollback else "finished"
            self._log(task, subtask, moment, f"INFO  Subtask {subtask['id']} {done}")
        else:
            self._log(task, subtask, moment, f"ERROR Subtask {subtask['id']} failed: {FAILURE}")

    def _end(self, task: Task, moment: datetime.datetime, ok: bool) -> None:
        # A rollback that undid every subtask ends the task SUCCESSFUL, as the reference
        # sample's rolled-back task shows (OCP Express, RunningTaskWorker.updateState).
        task.record["status"] = self._task_states["succeeded" if ok else "failed"]
        spelled = self._spell("TaskInstance", "finishTime", moment)
        if spelled is not None:
            task.record["finishTime"] = spelled
        task.ended = True

    def _advance(self, task: Task, now: datetime.datetime) -> None:
        """Move a running task on to ``now``: each subtask of its order runs ``step`` seconds."""
        step = datetime.timedelta(seconds=task.step)
        for _ in range(len(task.order) + 1):  # bounded: one subtask a round
            if task.ended:
                break
            if task.cursor >= len(task.order):
                self._end(task, task.cursor_started, ok=True)
                break
            index = task.order[task.cursor]
            subtask = task.subtasks[index]
            if subtask["status"] != self._subtask_states["running"]:
                self._run(task, subtask, task.cursor_started)
            end = task.cursor_started + step
            if now < end:
                break
            if index == task.fail_at:
                self._finish(task, subtask, end, ok=False)
                self._end(task, end, ok=False)
                break
            self._finish(task, subtask, end, ok=True)
            task.cursor += 1
            task.cursor_started = end
        store = self._task_store()
        if store is not None:
            store.put(copy.deepcopy(task.record))
        if task.on_change is not None and not task.rollback:
            task.on_change(task)  # a rollback undoes the work: what it made keeps its failure

    def refresh(self) -> None:
        """Bring every running task to the present (called before each answer)."""
        now = datetime.datetime.now(OCP_TZ)
        with self._lock:
            for task in self.tasks.values():
                if not task.ended:
                    self._advance(task, now)

    @staticmethod
    def _action(operation: sm.Operation) -> str | None:
        """What a POST on a task or subtask does, its path's last word (`retry`); None else."""
        return operation.path.rsplit("/", 1)[-1] if operation.method == "POST" else None

    def _task_answer(
        self, operation: sm.Operation, path: Mapping[str, Any], names: tuple[str, str | None]
    ) -> tuple[bool, Any]:
        task_name, subtask_name = names
        task = self.tasks.get(path[task_name])
        if task is None:
            missing = f"Not found: task instance {path[task_name]} does not exist."
            raise Refusal(404, NOT_FOUND, missing)
        subtask = task.subtask(path[subtask_name]) if subtask_name is not None else None
        if self._acts(operation, task, subtask):
            self._act(operation, task, subtask, datetime.datetime.now(OCP_TZ))
        kind = operation.result.data
        if operation.result.shape == "none":
            return True, None
        if isinstance(kind, sm.ModelType) and kind.name == "SubtaskInstanceLog":
            assert subtask is not None
            return True, {"log": "\n".join(task.logs.get(subtask["id"], []))}
        if isinstance(kind, sm.ModelType) and kind.name == "SubtaskInstance":
            return True, copy.deepcopy(subtask)
        return True, copy.deepcopy(task.record)

    def _waiting(self, subtask: Mapping[str, Any]) -> bool:
        return self._subtask_state_of.get(str(subtask.get("status"))) == "waiting"

    def _prohibits_rollback(self, task: Task) -> bool:
        ran = [s for s in task.subtasks if not self._waiting(s)]
        return any(item.get("prohibitRollback") is True for item in [task.record, *ran])

    def _acts(self, operation: sm.Operation, task: Task, subtask: dict[str, Any] | None) -> bool:
        """Whether an action changes anything (else the task or subtask is answered as it is):
        a retry or skip of a failed subtask, not one rolled back; a cancel of a running one; a
        retry or rollback of a failed task, a retry of one not rolled back, a rollback of one
        whose subtasks that ran allow it (as OCP Express's TaskInstanceManagerImpl, which
        refuses the others with 400: the stand-in answers them as retry always has, so that
        every operation has an example request that succeeds)."""
        action = self._action(operation)
        if action is None:
            return False
        if subtask is None:
            if task.record.get("status") != self._task_states["failed"]:
                return False
            if action == RETRY:
                return not task.rollback
            return action == ROLLBACK and not self._prohibits_rollback(task)
        if action in (RETRY, SKIP):
            return subtask["status"] == self._subtask_states["failed"] and not task.rollback
        return action == CANCEL and subtask["status"] == self._subtask_states["running"]

    def _act(
        self,
        operation: sm.Operation,
        task: Task,
        subtask: dict[str, Any] | None,
        now: datetime.datetime,
    ) -> None:
        action = self._action(operation) or ""
        if subtask is not None and action == CANCEL:
            subtask["operation"] = _operation_name(action)
            self._finish(task, subtask, now, ok=False)
            self._end(task, now, ok=False)
        elif subtask is not None:  # a retry or a skip: the task runs on from it
            subtask["operation"] = _operation_name(action)
            self._resume(task, task.subtasks.index(subtask), now)
            if action == SKIP:
                self._finish(task, subtask, now, ok=True)
                task.cursor += 1
        elif action == RETRY:  # the failed subtasks run again, the first of them on
            failed = self._subtask_states["failed"]
            for item in task.subtasks:
                if item["status"] == failed:
                    item["operation"] = _operation_name(action)
            succeeded = self._subtask_states["succeeded"]
            index = next(
                (i for i, s in enumerate(task.subtasks) if s["status"] != succeeded),
                len(task.subtasks),
            )
            self._resume(task, index, now, action)
        else:  # a rollback: every subtask that ran is undone, the last first
            ran = [i for i, s in enumerate(task.subtasks) if not self._waiting(s)]
            for index in ran:
                task.subtasks[index]["operation"] = _operation_name(action)
            self._resume(task, 0, now, action)
            task.order, task.rollback = ran[::-1], True
        self._advance(task, now)

    def _resume(
        self, task: Task, cursor: int, now: datetime.datetime, action: str | None = None
    ) -> None:
        """Make an ended task run again from ``cursor``, its subtasks in their order."""
        task.order, task.cursor, task.cursor_started = list(range(len(task.subtasks))), cursor, now
        task.fail_at, task.ended, task.rollback = None, False, False
        task.record["status"] = self._task_states["running"]
        task.record.pop("finishTime", None)
        if action is not None and _has(self.spec.models["TaskInstance"], "operation"):
            task.record["operation"] = _operation_name(action)

    def example_path(self, operation: sm.Operation) -> dict[str, Any]:
        """Path values an operation succeeds with now: a cluster that has a strategy (one
        that has none for its creation), else the first cluster; a task (and a subtask of it)
        that the operation acts on, else one it answers, newest first."""
        with self._lock:
            names = self._task_parameters(operation)
            if names is not None:
                return self._example_task(operation, names)
            name = self._cluster_parameter(operation)
            if name is None:
                return {}
            clusters = self.clusters
            if operation.path == self._policy_path:
                creating = operation.method == "POST"
                clusters = [c for c in clusters if (c in self.policies) != creating] or clusters
            return {name: clusters[0]} if clusters else {}

    def _example_task(
        self, operation: sm.Operation, names: tuple[str, str | None]
    ) -> dict[str, Any]:
        task_name, subtask_name = names
        first: dict[str, Any] = {}
        for task in sorted(self.tasks.values(), key=lambda t: t.id, reverse=True):
            choices: list[dict[str, Any] | None] = [None]
            if subtask_name is not None:
                choices = list(task.subtasks)
            for subtask in choices:
                values = {task_name: task.id}
                if subtask is not None and subtask_name is not None:
                    values[subtask_name] = subtask["id"]
                if self._action(operation) is None or self._acts(operation, task, subtask):
                    return values
                first = first or values
        return first

    # --- answers ---------------------------------------------------------------------------------

    def answer(
        self, operation: sm.Operation, path: Mapping[str, Any], body: Any
    ) -> tuple[bool, Any]:
        """(True, the `data` the state gives the answer), or (False, None) when the state has
        nothing to say (the generic answer goes); raises Refusal for OCP's error answers."""
        with self._lock:
            cluster = self.cluster_of(operation, path)
            if operation.result.shape == "page":
                return False, None
            names = self._task_parameters(operation)
            if names is not None:
                return self._task_answer(operation, path, names)
            current = CURRENT.get(operation.id)
            if current is not None:
                return True, current(self)
            if cluster is None:
                return False, None
            if operation.path == self._policy_path:
                return self._policy_answer(operation, cluster, body)
            if operation.result.shape == "none":
                return False, None
            data = self._started(operation, cluster, body)
            derive = DERIVED.get(operation.id)
            if derive is not None:
                data = derive(self, cluster, data)
            return True, data

    # --- what the spec says in prose -------------------------------------------------------------

    def server_time(self) -> str:
        # prose: getServerTime answers the server's clock, spelled as its sample is.
        return envelope_time(datetime.datetime.now(datetime.UTC))

    def _recent_log_checkpoints(self) -> None:
        # prose: a running log backup's `checkpoint` lags the present by its `delay` (seconds)
        # (listLogBackupTasks' description); the generated newest one of each cluster does.
        for cluster in self.clusters:
            scope = (cluster,)
            store = self.store_for("listLogBackupTasks", scope)
            if store is None:
                continue
            reference = store.listing.reference_items if self.reference else ()
            items = store.select(scope, [])
            if not items or items[0] in reference or "delay" not in items[0]:
                continue
            newest = dict(items[0])
            moment = self.now - datetime.timedelta(seconds=float(newest["delay"]))
            clock = Clock(moment, self._rng)
            kind = store.listing.model.property("checkpoint").type if store.listing.model else None
            if isinstance(kind, sm.DateTimeType):
                newest["checkpoint"] = self._values.value(kind, "checkpoint", clock)
                store.replace_first(scope, newest)

    def overview(self, cluster: Any, data: Any) -> Any:
        # prose: the overview's last data backup is the newest DONE full backup's finish time,
        # its log backup checkpoint and delay the newest log backup task's (the fields'
        # descriptions), and it has a strategy when the cluster has one.
        if not isinstance(data, dict):
            return data
        data = dict(data)
        backups = self.store_for("listDataBackupTasks", (cluster,))
        finished = [
            item["finishTime"]
            for item in (backups.select((cluster,), []) if backups is not None else [])
            if item.get("status") == DONE and item.get("dataBackupTaskType") == FULL
            and parse_time(item.get("finishTime")) is not None
        ]  # fmt: skip
        data.pop("lastDataBackupTime", None)
        if finished:
            data["lastDataBackupTime"] = max(finished, key=lambda t: parse_time(t))  # type: ignore[arg-type,return-value]
        logs = self.store_for("listLogBackupTasks", (cluster,))
        newest = next(iter(logs.select((cluster,), [])), None) if logs is not None else None
        data.pop("latestLogBackupCheckpoint", None)
        data.pop("logBackupDelaySeconds", None)
        if newest is not None and "checkpoint" in newest:
            data["latestLogBackupCheckpoint"] = newest["checkpoint"]
        if newest is not None and isinstance(newest.get("delay"), int | float):
            data["logBackupDelaySeconds"] = round(newest["delay"])
        if "obClusterBackupStatus" in data and self._policy_path is not None:
            has = cluster in self.policies
            data["obClusterBackupStatus"] = "HAS_BACKUP_STRATEGY" if has else "NO_BACKUP_STRATEGY"
        return data

    def _follow(
        self,
        task: Task,
        store: Store,
        fixed: Mapping[str, Any],
        during: Callable[[str, Task], dict[str, Any]],
        failure: str,
    ) -> None:
        """Put a new item in a listing that follows a task: ``fixed`` values, the rest
        generated; it begins now (`createTime`, `startTime`, as its model has them). After each
        move of the task, ``during(state, task)`` gives its changing fields (None: left out)
        for the task's state (`running`, `succeeded`, `failed`); once the task ends it has the
        task's finish time, and ``failure`` as its `errorMsg` when it failed."""
        model = store.listing.model
        now = datetime.datetime.now(OCP_TZ)
        item = store.make(fixed, now)
        for name in ("createTime", "startTime"):
            spelled = self._time(model, name, now) if model is not None else None
            if spelled is not None:
                item[name] = spelled

        def follow(followed: Task) -> None:
            state = "running"
            if followed.ended:
                ok = followed.record.get("status") == self._task_states["succeeded"]
                state = "succeeded" if ok else "failed"
            finish = parse_time(followed.record.get("finishTime")) if followed.ended else None
            changes = during(state, followed)
            changes["finishTime"] = self._time(model, "finishTime", finish) if model else None
            changes["errorMsg"] = failure if state == "failed" else None
            for name, value in changes.items():
                if value is None:
                    item.pop(name, None)
                elif model is not None and _has(model, name):
                    item[name] = value
            store.put(dict(sorted(item.items())))  # OCP writes properties in alphabetical order

        task.on_change = follow

    def backup_task(self, task: Task, cluster: Any, body: Any) -> None:
        # prose: `backUpNow` makes a data backup task of the cluster (its description), DOING
        # while the task runs, then DONE or FAILED; its type and mode are the body's.
        store = self.store_for("listDataBackupTasks", (cluster,))
        if store is None or cluster is None:
            return
        body = body if isinstance(body, Mapping) else {}
        model = store.listing.model
        items = store.select((cluster,), [])
        sets = [int(i["backupSetId"]) for i in items if isinstance(i.get("backupSetId"), int)]
        fixed: dict[str, Any] = {
            k: v for k, v in self.fields(cluster).items() if model is not None and _has(model, k)
        }
        fixed.update(
            taskId=store.next_id(),
            dataBackupTaskType=body.get("dataBackupMode", FULL),
            backupSetId=max(sets, default=0) + 1,
        )
        mode = body.get("backupMode") or self.policies.get(cluster, {}).get("backupMode")
        if mode is not None:
            fixed["backupMode"] = mode
        statuses = {"running": "DOING", "succeeded": DONE, "failed": "FAILED"}
        self._follow(task, store, fixed, lambda state, _: {"status": statuses[state]}, FAILURE)

    def restore_task(self, task: Task, cluster: Any, body: Any) -> None:
        # prose: `restoreTenant` makes a recovery task (its description and listRestoreTasks'):
        # the body's values where the recovery task's fields have their names (the backed-up
        # and recovered clusters and tenant, the recovery time, the mode); a cluster it names
        # by `<x>ClusterId` that the stand-in manages gives its other `<x>Cluster…` fields; the
        # recovered tenant's name is `restoreTenantInfoParam.name`, its pools one a zone named
        # as in the sample (`pool_<tenant>_<zone>_<3 letters>`), the directory the body's
        # storage URL (else the backed-up cluster's strategy's). Its `status` goes through
        # RestoreTaskStatus's stages in their order as the task's subtasks finish, then
        # RESTORE_SUCCESS or RESTORE_FAIL, with `finished`, `successful` and `statusDesc` as in
        # the sample.
        entry = self.listings.get("listRestoreTasks")
        if entry is None or entry[0].model is None:
            return
        listing, model = entry[0], entry[0].model
        store = self.store_for(listing.operation_id, (cluster,) if listing.scopes else ())
        if store is None:
            return
        given = _leaves(body, {})
        fixed: dict[str, Any] = {"id": store.next_id()}
        for prop in model.properties:
            value = given.get(prop.json_name)
            if value is None or prop.json_name in fixed:
                continue
            if isinstance(prop.type, sm.DateTimeType):  # spelled as OCP writes its entities
                value = self._time(model, prop.json_name, parse_time(value)) or value
            fixed[prop.json_name] = value
        for scope in listing.scopes:  # the path's cluster's, in whose store it is put
            fixed[scope.property] = cluster
        for prop in model.properties:
            prefix = prop.json_name.removesuffix("ClusterId")
            named = fixed.get(prop.json_name)
            if prefix and prefix != prop.json_name and named in self.records:
                for key, value in self.fields(named).items():
                    if _has(model, prefix + _capital(key)):
                        fixed.setdefault(prefix + _capital(key), value)
        tenant = _nested(body, "restoreTenantInfoParam")
        tenant = tenant if isinstance(tenant, Mapping) else {}
        if tenant.get("name") is not None:
            fixed["restoreTenantName"] = tenant["name"]
            zones = [z for z in tenant.get("zones") or [] if isinstance(z, Mapping)]
            letters = "".join(self._rng.choices("abcdefghijklmnopqrstuvwxyz", k=3))
            pools = [f"pool_{tenant['name']}_{zone.get('name')}_{letters}" for zone in zones]
            if pools:
                fixed["restorePoolListStr"] = ",".join(pools)
        # The backed-up cluster's strategy (the path's cluster is the backed-up one when the
        # body names none the stand-in manages) gives the mode and directory the body does not.
        strategy = self.policies.get(fixed.get("backupClusterId")) or self.policies.get(cluster)
        known = _leaves(strategy, {}) if strategy is not None else {}
        url = given.get("storageUrl", known.get("storageUrl"))
        if url is not None:
            fixed["restoreUri"] = url
        if "backupMode" not in fixed and known.get("backupMode") is not None:
            fixed["backupMode"] = known["backupMode"]
        kind = model.property("status").type
        values = list(self.spec.enums[kind.name].values) if isinstance(kind, sm.EnumType) else []
        stages: list[Any] = [v for v in values if v not in (RESTORE_SUCCESS, RESTORE_FAIL)]
        stages = stages or [None]  # no stages known: the status is left out while it runs

        def during(state: str, followed: Task) -> dict[str, Any]:
            if state == "running":
                done = sum(
                    s["status"] == self._subtask_states["succeeded"] for s in followed.subtasks
                )
                reached = done * len(stages) // max(len(followed.subtasks), 1)
                stage = stages[min(reached, len(stages) - 1)]
                return {"status": stage, "finished": False, "successful": False, "statusDesc": None}
            ok = state == "succeeded"
            return {
                "status": RESTORE_SUCCESS if ok else RESTORE_FAIL,
                "finished": True,
                "successful": ok,
                "statusDesc": "Completed" if ok else "Failed",
            }

        self._follow(task, store, fixed, during, RESTORE_FAILURE)


DONE = "DONE"
FULL = "FULL_BACKUP"
FAILURE = "backup failed: OB_BACKUP_IO_FAIL (-9006): the stand-in's fail_next_backup fault"
RESTORE_SUCCESS, RESTORE_FAIL = "RESTORE_SUCCESS", "RESTORE_FAIL"
RESTORE_FAILURE = (
    "restore failed: OB_ENTRY_NOT_EXIST (-4018): the stand-in's fail_next_backup fault"
)

#: prose: the operations whose answer the state derives (see World.overview).
DERIVED: dict[str, Callable[[World, Any, Any], Any]] = {"getBackupOverview": World.overview}
#: prose: the operations that answer the present, whatever the state.
CURRENT: dict[str, Callable[[World], Any]] = {"getServerTime": World.server_time}
#: prose: what a started task makes besides itself (see World.backup_task, World.restore_task).
LINKS: dict[str, Callable[[World, Task, Any, Any], None]] = {
    "backUpNow": World.backup_task,
    "restoreTenant": World.restore_task,
}
