export namespace accounts {
	
	export class CreateRequest {
	    username: string;
	    role: string;
	    password?: string;
	    email?: string;
	    allowed_features?: string[];
	    permission_group?: string;
	
	    static createFrom(source: any = {}) {
	        return new CreateRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.role = source["role"];
	        this.password = source["password"];
	        this.email = source["email"];
	        this.allowed_features = source["allowed_features"];
	        this.permission_group = source["permission_group"];
	    }
	}
	export class Link {
	    username: string;
	    purpose: string;
	    link: string;
	    // Go type: time
	    expires_at: any;
	
	    static createFrom(source: any = {}) {
	        return new Link(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.purpose = source["purpose"];
	        this.link = source["link"];
	        this.expires_at = this.convertValues(source["expires_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CreateResponse {
	    setup_link_sent: boolean;
	    setup_link?: Link;
	
	    static createFrom(source: any = {}) {
	        return new CreateResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.setup_link_sent = source["setup_link_sent"];
	        this.setup_link = this.convertValues(source["setup_link"], Link);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Group {
	    name: string;
	    features: string[];
	    member_count: number;
	    created_at: string;
	    updated_at: string;
	
	    static createFrom(source: any = {}) {
	        return new Group(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.features = source["features"];
	        this.member_count = source["member_count"];
	        this.created_at = source["created_at"];
	        this.updated_at = source["updated_at"];
	    }
	}
	export class GroupRequest {
	    name?: string;
	    features?: string[];
	
	    static createFrom(source: any = {}) {
	        return new GroupRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.features = source["features"];
	    }
	}
	
	export class Me {
	    username: string;
	    role: string;
	    must_change_pw: boolean;
	    allowed_features: string[];
	    mfa_enabled: boolean;
	    kind?: string;
	
	    static createFrom(source: any = {}) {
	        return new Me(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.role = source["role"];
	        this.must_change_pw = source["must_change_pw"];
	        this.allowed_features = source["allowed_features"];
	        this.mfa_enabled = source["mfa_enabled"];
	        this.kind = source["kind"];
	    }
	}
	export class UserRow {
	    username: string;
	    role: string;
	    disabled: number;
	    must_change_pw: number;
	    email?: string;
	    allowed_features: string[];
	    permission_group?: string;
	    created_at: string;
	    updated_at: string;
	    mfa_enabled: boolean;
	    setup_pending: boolean;
	
	    static createFrom(source: any = {}) {
	        return new UserRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.role = source["role"];
	        this.disabled = source["disabled"];
	        this.must_change_pw = source["must_change_pw"];
	        this.email = source["email"];
	        this.allowed_features = source["allowed_features"];
	        this.permission_group = source["permission_group"];
	        this.created_at = source["created_at"];
	        this.updated_at = source["updated_at"];
	        this.mfa_enabled = source["mfa_enabled"];
	        this.setup_pending = source["setup_pending"];
	    }
	}

}

export namespace app {
	
	export class AccountRequest {
	    username: string;
	
	    static createFrom(source: any = {}) {
	        return new AccountRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	    }
	}
	export class Agent {
	    pc_id: string;
	    hostname?: string;
	    os_family?: string;
	    agent_version?: string;
	    last_heartbeat?: string;
	    updated_at?: string;
	    online: boolean;
	    groups: string[];
	
	    static createFrom(source: any = {}) {
	        return new Agent(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.hostname = source["hostname"];
	        this.os_family = source["os_family"];
	        this.agent_version = source["agent_version"];
	        this.last_heartbeat = source["last_heartbeat"];
	        this.updated_at = source["updated_at"];
	        this.online = source["online"];
	        this.groups = source["groups"];
	    }
	}
	export class AgentCounts {
	    known: number;
	    active: number;
	    stale: number;
	
	    static createFrom(source: any = {}) {
	        return new AgentCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.known = source["known"];
	        this.active = source["active"];
	        this.stale = source["stale"];
	    }
	}
	export class AgentGroupRequest {
	    pc_id: string;
	    group: string;
	
	    static createFrom(source: any = {}) {
	        return new AgentGroupRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.group = source["group"];
	    }
	}
	export class AgentGroups {
	    groups: string[];
	
	    static createFrom(source: any = {}) {
	        return new AgentGroups(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.groups = source["groups"];
	    }
	}
	export class AgentLogsRequest {
	    pc_id: string;
	    tail?: number;
	
	    static createFrom(source: any = {}) {
	        return new AgentLogsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.tail = source["tail"];
	    }
	}
	export class AgentURL {
	    url: string;
	    scope: string;
	
	    static createFrom(source: any = {}) {
	        return new AgentURL(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.scope = source["scope"];
	    }
	}
	export class AgentsPage {
	    items: Agent[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new AgentsPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Agent);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AuditEvent {
	    id: number;
	    actor: string;
	    action: string;
	    target?: string;
	    payload: any;
	    occurred_at: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditEvent(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.actor = source["actor"];
	        this.action = source["action"];
	        this.target = source["target"];
	        this.payload = source["payload"];
	        this.occurred_at = source["occurred_at"];
	    }
	}
	export class AuditPage {
	    items: AuditEvent[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], AuditEvent);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CmdRequest {
	    cmd_id: string;
	
	    static createFrom(source: any = {}) {
	        return new CmdRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.cmd_id = source["cmd_id"];
	    }
	}
	export class ConfigScope {
	    target_version?: string;
	    target_version_jitter?: string;
	    heartbeat_interval?: string;
	
	    static createFrom(source: any = {}) {
	        return new ConfigScope(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target_version = source["target_version"];
	        this.target_version_jitter = source["target_version_jitter"];
	        this.heartbeat_interval = source["heartbeat_interval"];
	    }
	}
	export class DemoStatus {
	    running: boolean;
	    agents: number;
	    prefix: string;
	    started_at?: string;
	    first_exec_id?: string;
	
	    static createFrom(source: any = {}) {
	        return new DemoStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.agents = source["agents"];
	        this.prefix = source["prefix"];
	        this.started_at = source["started_at"];
	        this.first_exec_id = source["first_exec_id"];
	    }
	}
	export class RealAgents {
	    known: number;
	    active: number;
	    last_pc_id?: string;
	    last_heartbeat?: string;
	
	    static createFrom(source: any = {}) {
	        return new RealAgents(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.known = source["known"];
	        this.active = source["active"];
	        this.last_pc_id = source["last_pc_id"];
	        this.last_heartbeat = source["last_heartbeat"];
	    }
	}
	export class ConnectInfo {
	    embedded: boolean;
	    listen: string;
	    urls: AgentURL[];
	    loopback_only: boolean;
	    open_listen?: string;
	    token: string;
	    token_from?: string;
	    agents: RealAgents;
	    demo: DemoStatus;
	
	    static createFrom(source: any = {}) {
	        return new ConnectInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.embedded = source["embedded"];
	        this.listen = source["listen"];
	        this.urls = this.convertValues(source["urls"], AgentURL);
	        this.loopback_only = source["loopback_only"];
	        this.open_listen = source["open_listen"];
	        this.token = source["token"];
	        this.token_from = source["token_from"];
	        this.agents = this.convertValues(source["agents"], RealAgents);
	        this.demo = this.convertValues(source["demo"], DemoStatus);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RebuildStatus {
	    reason: string;
	    moved_to?: string;
	    started_at: string;
	    finished_at?: string;
	    active: boolean;
	    projected: number;
	    remaining?: number;
	
	    static createFrom(source: any = {}) {
	        return new RebuildStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.reason = source["reason"];
	        this.moved_to = source["moved_to"];
	        this.started_at = source["started_at"];
	        this.finished_at = source["finished_at"];
	        this.active = source["active"];
	        this.projected = source["projected"];
	        this.remaining = source["remaining"];
	    }
	}
	export class Integrity {
	    state: string;
	    detail?: string;
	    checked_at?: string;
	    took?: string;
	
	    static createFrom(source: any = {}) {
	        return new Integrity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.detail = source["detail"];
	        this.checked_at = source["checked_at"];
	        this.took = source["took"];
	    }
	}
	export class DatabaseStatus {
	    path: string;
	    integrity: Integrity;
	    rebuild?: RebuildStatus;
	
	    static createFrom(source: any = {}) {
	        return new DatabaseStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.integrity = this.convertValues(source["integrity"], Integrity);
	        this.rebuild = this.convertValues(source["rebuild"], RebuildStatus);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RetentionTable {
	    table: string;
	    column: string;
	    keep_secs: number;
	    deleted: number;
	
	    static createFrom(source: any = {}) {
	        return new RetentionTable(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.table = source["table"];
	        this.column = source["column"];
	        this.keep_secs = source["keep_secs"];
	        this.deleted = source["deleted"];
	    }
	}
	export class RetentionStatus {
	    tables: RetentionTable[];
	    every_secs: number;
	    last_sweep_at?: string;
	
	    static createFrom(source: any = {}) {
	        return new RetentionStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tables = this.convertValues(source["tables"], RetentionTable);
	        this.every_secs = source["every_secs"];
	        this.last_sweep_at = source["last_sweep_at"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ResourcePresence {
	    name: string;
	    exists: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ResourcePresence(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.exists = source["exists"];
	    }
	}
	export class JetStreamStatus {
	    streams: ResourcePresence[];
	    kv_buckets: ResourcePresence[];
	    object_stores: ResourcePresence[];
	
	    static createFrom(source: any = {}) {
	        return new JetStreamStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.streams = this.convertValues(source["streams"], ResourcePresence);
	        this.kv_buckets = this.convertValues(source["kv_buckets"], ResourcePresence);
	        this.object_stores = this.convertValues(source["object_stores"], ResourcePresence);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Readiness {
	    ready: boolean;
	    status: string;
	    checks: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new Readiness(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ready = source["ready"];
	        this.status = source["status"];
	        this.checks = source["checks"];
	    }
	}
	export class PendingWave {
	    exec_id: string;
	    job_id: string;
	    index: number;
	    subject: string;
	    due_at: string;
	    command: any;
	
	    static createFrom(source: any = {}) {
	        return new PendingWave(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.exec_id = source["exec_id"];
	        this.job_id = source["job_id"];
	        this.index = source["index"];
	        this.subject = source["subject"];
	        this.due_at = source["due_at"];
	        this.command = source["command"];
	    }
	}
	export class ScheduleEntryStatus {
	    id: string;
	    registered: boolean;
	    supported: boolean;
	    reason?: string;
	    next?: string;
	    last_fire?: string;
	    last_exec_id?: string;
	    last_error?: string;
	    last_skipped?: string;
	    last_skipped_at?: string;
	    skipped_ticks?: number;
	
	    static createFrom(source: any = {}) {
	        return new ScheduleEntryStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.registered = source["registered"];
	        this.supported = source["supported"];
	        this.reason = source["reason"];
	        this.next = source["next"];
	        this.last_fire = source["last_fire"];
	        this.last_exec_id = source["last_exec_id"];
	        this.last_error = source["last_error"];
	        this.last_skipped = source["last_skipped"];
	        this.last_skipped_at = source["last_skipped_at"];
	        this.skipped_ticks = source["skipped_ticks"];
	    }
	}
	export class SchedulerStatus {
	    leader: string;
	    leader_since?: string;
	    is_leader: boolean;
	    lease_ttl_secs: number;
	    schedules: ScheduleEntryStatus[];
	    pending_waves: PendingWave[];
	
	    static createFrom(source: any = {}) {
	        return new SchedulerStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.leader = source["leader"];
	        this.leader_since = source["leader_since"];
	        this.is_leader = source["is_leader"];
	        this.lease_ttl_secs = source["lease_ttl_secs"];
	        this.schedules = this.convertValues(source["schedules"], ScheduleEntryStatus);
	        this.pending_waves = this.convertValues(source["pending_waves"], PendingWave);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ProjectorStatus {
	    name: string;
	    running: boolean;
	    messages: number;
	    batches: number;
	    dead_letters: number;
	    errors: number;
	    restarts: number;
	    rate_per_sec: number;
	    last_batch_size: number;
	    last_apply_ms: number;
	    last_error?: string;
	    last_error_at?: string;
	    lag?: number;
	    lag_error?: string;
	
	    static createFrom(source: any = {}) {
	        return new ProjectorStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.running = source["running"];
	        this.messages = source["messages"];
	        this.batches = source["batches"];
	        this.dead_letters = source["dead_letters"];
	        this.errors = source["errors"];
	        this.restarts = source["restarts"];
	        this.rate_per_sec = source["rate_per_sec"];
	        this.last_batch_size = source["last_batch_size"];
	        this.last_apply_ms = source["last_apply_ms"];
	        this.last_error = source["last_error"];
	        this.last_error_at = source["last_error_at"];
	        this.lag = source["lag"];
	        this.lag_error = source["lag_error"];
	    }
	}
	export class RecreatedStatus {
	    detected_at: string;
	    recreated_at?: string;
	    lost: string[];
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new RecreatedStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.detected_at = source["detected_at"];
	        this.recreated_at = source["recreated_at"];
	        this.lost = source["lost"];
	        this.note = source["note"];
	    }
	}
	export class NATSStatus {
	    connected: boolean;
	    embedded: boolean;
	    url: string;
	    recreated?: RecreatedStatus;
	
	    static createFrom(source: any = {}) {
	        return new NATSStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connected = source["connected"];
	        this.embedded = source["embedded"];
	        this.url = source["url"];
	        this.recreated = this.convertValues(source["recreated"], RecreatedStatus);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConsoleStatus {
	    version: string;
	    instance_id: string;
	    nats: NATSStatus;
	    projectors: ProjectorStatus[];
	    scheduler: SchedulerStatus;
	    agents: AgentCounts;
	    dead_letters: number;
	    dead_letters_dropped: number;
	    ready: Readiness;
	    jetstream: JetStreamStatus;
	    retention: RetentionStatus;
	    database: DatabaseStatus;
	
	    static createFrom(source: any = {}) {
	        return new ConsoleStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.instance_id = source["instance_id"];
	        this.nats = this.convertValues(source["nats"], NATSStatus);
	        this.projectors = this.convertValues(source["projectors"], ProjectorStatus);
	        this.scheduler = this.convertValues(source["scheduler"], SchedulerStatus);
	        this.agents = this.convertValues(source["agents"], AgentCounts);
	        this.dead_letters = source["dead_letters"];
	        this.dead_letters_dropped = source["dead_letters_dropped"];
	        this.ready = this.convertValues(source["ready"], Readiness);
	        this.jetstream = this.convertValues(source["jetstream"], JetStreamStatus);
	        this.retention = this.convertValues(source["retention"], RetentionStatus);
	        this.database = this.convertValues(source["database"], DatabaseStatus);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CoreState {
	    state: string;
	    error?: string;
	    started_at?: string;
	    restarts: number;
	    data_dir: string;
	    nats_embedded: boolean;
	    nats_url: string;
	    http_url?: string;
	    http_auth?: string;
	    http_error?: string;
	
	    static createFrom(source: any = {}) {
	        return new CoreState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.error = source["error"];
	        this.started_at = source["started_at"];
	        this.restarts = source["restarts"];
	        this.data_dir = source["data_dir"];
	        this.nats_embedded = source["nats_embedded"];
	        this.nats_url = source["nats_url"];
	        this.http_url = source["http_url"];
	        this.http_auth = source["http_auth"];
	        this.http_error = source["http_error"];
	    }
	}
	export class CronNextRequest {
	    cron: string;
	    n?: number;
	
	    static createFrom(source: any = {}) {
	        return new CronNextRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.cron = source["cron"];
	        this.n = source["n"];
	    }
	}
	export class CronNextResponse {
	    cron: string;
	    next: string[];
	
	    static createFrom(source: any = {}) {
	        return new CronNextResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.cron = source["cron"];
	        this.next = source["next"];
	    }
	}
	
	export class DeadLetter {
	    id: number;
	    stream: string;
	    stream_seq: number;
	    subject: string;
	    error: string;
	    payload_size: number;
	    payload_head: string;
	    recorded_at: string;
	
	    static createFrom(source: any = {}) {
	        return new DeadLetter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.stream = source["stream"];
	        this.stream_seq = source["stream_seq"];
	        this.subject = source["subject"];
	        this.error = source["error"];
	        this.payload_size = source["payload_size"];
	        this.payload_head = source["payload_head"];
	        this.recorded_at = source["recorded_at"];
	    }
	}
	export class DeadLettersPage {
	    items: DeadLetter[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new DeadLettersPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], DeadLetter);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class DisableScheduleRequest {
	    id: string;
	    cascade?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DisableScheduleRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.cascade = source["cascade"];
	    }
	}
	export class DisplayField {
	    field: string;
	    label: string;
	    type?: string;
	
	    static createFrom(source: any = {}) {
	        return new DisplayField(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.label = source["label"];
	        this.type = source["type"];
	    }
	}
	export class EffectiveConfig {
	    target_version?: string;
	    target_version_jitter: string;
	    heartbeat_interval: string;
	
	    static createFrom(source: any = {}) {
	        return new EffectiveConfig(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target_version = source["target_version"];
	        this.target_version_jitter = source["target_version_jitter"];
	        this.heartbeat_interval = source["heartbeat_interval"];
	    }
	}
	export class EffectiveConfigResponse {
	    pc_id: string;
	    effective: EffectiveConfig;
	    warnings: string[];
	    my_groups: string[];
	
	    static createFrom(source: any = {}) {
	        return new EffectiveConfigResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.effective = this.convertValues(source["effective"], EffectiveConfig);
	        this.warnings = source["warnings"];
	        this.my_groups = source["my_groups"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Empty {
	
	
	    static createFrom(source: any = {}) {
	        return new Empty(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	
	    }
	}
	export class Wave {
	    group: string;
	    delay: string;
	
	    static createFrom(source: any = {}) {
	        return new Wave(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.group = source["group"];
	        this.delay = source["delay"];
	    }
	}
	export class Rollout {
	    strategy: string;
	    waves: Wave[];
	
	    static createFrom(source: any = {}) {
	        return new Rollout(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.strategy = source["strategy"];
	        this.waves = this.convertValues(source["waves"], Wave);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Target {
	    groups: string[];
	    pcs: string[];
	    all: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Target(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.groups = source["groups"];
	        this.pcs = source["pcs"];
	        this.all = source["all"];
	    }
	}
	export class ExecJobRequest {
	    job_id: string;
	    target: Target;
	    rollout?: Rollout;
	    jitter?: string;
	    deadline_at?: string;
	
	    static createFrom(source: any = {}) {
	        return new ExecJobRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.job_id = source["job_id"];
	        this.target = this.convertValues(source["target"], Target);
	        this.rollout = this.convertValues(source["rollout"], Rollout);
	        this.jitter = source["jitter"];
	        this.deadline_at = source["deadline_at"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ExecResponse {
	    exec_id: string;
	    job_id: string;
	    version: string;
	    target_count: number;
	    subjects: string[];
	
	    static createFrom(source: any = {}) {
	        return new ExecResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.exec_id = source["exec_id"];
	        this.job_id = source["job_id"];
	        this.version = source["version"];
	        this.target_count = source["target_count"];
	        this.subjects = source["subjects"];
	    }
	}
	export class ExecResult {
	    result_id: string;
	    request_id: string;
	    exec_id?: string;
	    pc_id: string;
	    exit_code: number;
	    stdout: string;
	    stderr: string;
	    started_at: string;
	    finished_at: string;
	    manifest_id?: string;
	
	    static createFrom(source: any = {}) {
	        return new ExecResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.result_id = source["result_id"];
	        this.request_id = source["request_id"];
	        this.exec_id = source["exec_id"];
	        this.pc_id = source["pc_id"];
	        this.exit_code = source["exit_code"];
	        this.stdout = source["stdout"];
	        this.stderr = source["stderr"];
	        this.started_at = source["started_at"];
	        this.finished_at = source["finished_at"];
	        this.manifest_id = source["manifest_id"];
	    }
	}
	export class Execute {
	    shell: string;
	    script: string;
	    timeout: string;
	    run_as: string;
	    cwd?: string;
	
	    static createFrom(source: any = {}) {
	        return new Execute(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.shell = source["shell"];
	        this.script = source["script"];
	        this.timeout = source["timeout"];
	        this.run_as = source["run_as"];
	        this.cwd = source["cwd"];
	    }
	}
	export class Execution {
	    exec_id: string;
	    job_id: string;
	    version: string;
	    initiated_by: string;
	    initiated_at: string;
	    target_count: number;
	    success_count: number;
	    failure_count: number;
	    status: string;
	    inflight_count: number;
	
	    static createFrom(source: any = {}) {
	        return new Execution(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.exec_id = source["exec_id"];
	        this.job_id = source["job_id"];
	        this.version = source["version"];
	        this.initiated_by = source["initiated_by"];
	        this.initiated_at = source["initiated_at"];
	        this.target_count = source["target_count"];
	        this.success_count = source["success_count"];
	        this.failure_count = source["failure_count"];
	        this.status = source["status"];
	        this.inflight_count = source["inflight_count"];
	    }
	}
	export class InflightRow {
	    pc_id: string;
	    started_at: string;
	
	    static createFrom(source: any = {}) {
	        return new InflightRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.started_at = source["started_at"];
	    }
	}
	export class ExecutionResultRow {
	    result_id: string;
	    request_id: string;
	    pc_id: string;
	    exit_code: number;
	    started_at: string;
	    finished_at: string;
	
	    static createFrom(source: any = {}) {
	        return new ExecutionResultRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.result_id = source["result_id"];
	        this.request_id = source["request_id"];
	        this.pc_id = source["pc_id"];
	        this.exit_code = source["exit_code"];
	        this.started_at = source["started_at"];
	        this.finished_at = source["finished_at"];
	    }
	}
	export class ExecutionDetail {
	    execution: Execution;
	    results: ExecutionResultRow[];
	    inflight: InflightRow[];
	
	    static createFrom(source: any = {}) {
	        return new ExecutionDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.execution = this.convertValues(source["execution"], Execution);
	        this.results = this.convertValues(source["results"], ExecutionResultRow);
	        this.inflight = this.convertValues(source["inflight"], InflightRow);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ExecutionDetailRequest {
	    exec_id: string;
	    results_limit?: number;
	    inflight_limit?: number;
	
	    static createFrom(source: any = {}) {
	        return new ExecutionDetailRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.exec_id = source["exec_id"];
	        this.results_limit = source["results_limit"];
	        this.inflight_limit = source["inflight_limit"];
	    }
	}
	export class ExecutionRequest {
	    exec_id: string;
	
	    static createFrom(source: any = {}) {
	        return new ExecutionRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.exec_id = source["exec_id"];
	    }
	}
	
	export class ExecutionsPage {
	    items: Execution[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new ExecutionsPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Execution);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ResultCounts {
	    window_hours: number;
	    total: number;
	    failed: number;
	
	    static createFrom(source: any = {}) {
	        return new ResultCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.window_hours = source["window_hours"];
	        this.total = source["total"];
	        this.failed = source["failed"];
	    }
	}
	export class JetStreamHealth {
	    all_ok: boolean;
	    healthy: number;
	    total: number;
	    missing: string[];
	
	    static createFrom(source: any = {}) {
	        return new JetStreamHealth(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.all_ok = source["all_ok"];
	        this.healthy = source["healthy"];
	        this.total = source["total"];
	        this.missing = source["missing"];
	    }
	}
	export class FleetHealth {
	    status: string;
	    agents: AgentCounts;
	    jetstream: JetStreamHealth;
	    recent_results: ResultCounts;
	    observed_at: string;
	
	    static createFrom(source: any = {}) {
	        return new FleetHealth(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.agents = this.convertValues(source["agents"], AgentCounts);
	        this.jetstream = this.convertValues(source["jetstream"], JetStreamHealth);
	        this.recent_results = this.convertValues(source["recent_results"], ResultCounts);
	        this.observed_at = source["observed_at"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class GroupInfo {
	    group: string;
	    members: number;
	
	    static createFrom(source: any = {}) {
	        return new GroupInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.group = source["group"];
	        this.members = source["members"];
	    }
	}
	export class GroupRequest {
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new GroupRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	    }
	}
	export class GroupsPage {
	    items: GroupInfo[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new GroupsPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], GroupInfo);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class HealthzResponse {
	    status: string;
	
	    static createFrom(source: any = {}) {
	        return new HealthzResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	    }
	}
	export class Heartbeat {
	    pc_id: string;
	    at: string;
	    agent_version: string;
	    hostname?: string;
	    os_family?: string;
	
	    static createFrom(source: any = {}) {
	        return new Heartbeat(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.at = source["at"];
	        this.agent_version = source["agent_version"];
	        this.hostname = source["hostname"];
	        this.os_family = source["os_family"];
	    }
	}
	export class IDRequest {
	    id: string;
	
	    static createFrom(source: any = {}) {
	        return new IDRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	    }
	}
	
	
	export class InventoryRow {
	    pc_id: string;
	    facts: any;
	    collected_at?: string;
	
	    static createFrom(source: any = {}) {
	        return new InventoryRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.facts = source["facts"];
	        this.collected_at = source["collected_at"];
	    }
	}
	export class InventoryByJob {
	    manifest_id: string;
	    display: DisplayField[] | null;
	    summary: DisplayField[] | null;
	    rows: InventoryRow[];
	
	    static createFrom(source: any = {}) {
	        return new InventoryByJob(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.manifest_id = source["manifest_id"];
	        this.display = source["display"];
	        this.summary = source["summary"];
	        this.rows = this.convertValues(source["rows"], InventoryRow);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InventoryByJobRequest {
	    manifest_id: string;
	    limit?: number;
	    offset?: number;
	
	    static createFrom(source: any = {}) {
	        return new InventoryByJobRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.manifest_id = source["manifest_id"];
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	    }
	}
	export class InventoryHint {
	    display: DisplayField[];
	    summary?: DisplayField[];
	
	    static createFrom(source: any = {}) {
	        return new InventoryHint(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.display = this.convertValues(source["display"], DisplayField);
	        this.summary = this.convertValues(source["summary"], DisplayField);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InventoryJob {
	    manifest_id: string;
	    description?: string;
	    display: DisplayField[];
	    summary?: DisplayField[];
	
	    static createFrom(source: any = {}) {
	        return new InventoryJob(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.manifest_id = source["manifest_id"];
	        this.description = source["description"];
	        this.display = this.convertValues(source["display"], DisplayField);
	        this.summary = this.convertValues(source["summary"], DisplayField);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InventoryJobsPage {
	    items: InventoryJob[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new InventoryJobsPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], InventoryJob);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class JobRequest {
	    job_id: string;
	
	    static createFrom(source: any = {}) {
	        return new JobRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.job_id = source["job_id"];
	    }
	}
	export class JobUpsertResponse {
	    id: string;
	    version: string;
	    description?: string;
	    inventory: boolean;
	
	    static createFrom(source: any = {}) {
	        return new JobUpsertResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.description = source["description"];
	        this.inventory = source["inventory"];
	    }
	}
	export class Staleness {
	    mode: string;
	    max_cache_age?: string;
	
	    static createFrom(source: any = {}) {
	        return new Staleness(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mode = source["mode"];
	        this.max_cache_age = source["max_cache_age"];
	    }
	}
	export class Manifest {
	    id: string;
	    version: string;
	    description?: string;
	    execute: Execute;
	    require_approval: boolean;
	    inventory?: InventoryHint;
	    staleness: Staleness;
	    supported?: boolean;
	    reason?: string;
	
	    static createFrom(source: any = {}) {
	        return new Manifest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.description = source["description"];
	        this.execute = this.convertValues(source["execute"], Execute);
	        this.require_approval = source["require_approval"];
	        this.inventory = this.convertValues(source["inventory"], InventoryHint);
	        this.staleness = this.convertValues(source["staleness"], Staleness);
	        this.supported = source["supported"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class JobsPage {
	    items: Manifest[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new JobsPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Manifest);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ListAgentsRequest {
	    limit?: number;
	    offset?: number;
	    q?: string;
	    status?: string;
	    group?: string;
	
	    static createFrom(source: any = {}) {
	        return new ListAgentsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	        this.q = source["q"];
	        this.status = source["status"];
	        this.group = source["group"];
	    }
	}
	export class ListAuditRequest {
	    limit?: number;
	    offset?: number;
	    actor?: string;
	    action?: string;
	    since?: string;
	    until?: string;
	
	    static createFrom(source: any = {}) {
	        return new ListAuditRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	        this.actor = source["actor"];
	        this.action = source["action"];
	        this.since = source["since"];
	        this.until = source["until"];
	    }
	}
	export class ListExecutionsRequest {
	    limit?: number;
	    offset?: number;
	    job_id?: string;
	    status?: string;
	
	    static createFrom(source: any = {}) {
	        return new ListExecutionsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	        this.job_id = source["job_id"];
	        this.status = source["status"];
	    }
	}
	export class ListResultsRequest {
	    limit?: number;
	    offset?: number;
	    pc_id?: string;
	    job_id?: string;
	    exec_id?: string;
	    status?: string;
	    since?: string;
	    until?: string;
	    q?: string;
	    preview?: number;
	
	    static createFrom(source: any = {}) {
	        return new ListResultsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	        this.pc_id = source["pc_id"];
	        this.job_id = source["job_id"];
	        this.exec_id = source["exec_id"];
	        this.status = source["status"];
	        this.since = source["since"];
	        this.until = source["until"];
	        this.q = source["q"];
	        this.preview = source["preview"];
	    }
	}
	
	
	export class PageRequest {
	    limit?: number;
	    offset?: number;
	
	    static createFrom(source: any = {}) {
	        return new PageRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	    }
	}
	export class PcInventoryEntry {
	    job_id: string;
	    facts: any;
	    display?: DisplayField[] | null;
	    summary?: DisplayField[] | null;
	    collected_at?: string;
	    recorded_at?: string;
	
	    static createFrom(source: any = {}) {
	        return new PcInventoryEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.job_id = source["job_id"];
	        this.facts = source["facts"];
	        this.display = source["display"];
	        this.summary = source["summary"];
	        this.collected_at = source["collected_at"];
	        this.recorded_at = source["recorded_at"];
	    }
	}
	export class PcInventoryPage {
	    items: PcInventoryEntry[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new PcInventoryPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], PcInventoryEntry);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PcRequest {
	    pc_id: string;
	
	    static createFrom(source: any = {}) {
	        return new PcRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	    }
	}
	
	export class PingAgentRequest {
	    pc_id: string;
	    wait_secs?: number;
	
	    static createFrom(source: any = {}) {
	        return new PingAgentRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.wait_secs = source["wait_secs"];
	    }
	}
	export class PingResponse {
	    heartbeat: Heartbeat;
	
	    static createFrom(source: any = {}) {
	        return new PingResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.heartbeat = this.convertValues(source["heartbeat"], Heartbeat);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class PublishAgentRequest {
	    filename: string;
	    data_base64: string;
	
	    static createFrom(source: any = {}) {
	        return new PublishAgentRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.filename = source["filename"];
	        this.data_base64 = source["data_base64"];
	    }
	}
	export class PublishResponse {
	    version: string;
	    size: number;
	    digest: string;
	
	    static createFrom(source: any = {}) {
	        return new PublishResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.size = source["size"];
	        this.digest = source["digest"];
	    }
	}
	export class PutGlobalConfigRequest {
	    target_version?: string;
	    target_version_jitter?: string;
	    heartbeat_interval?: string;
	
	    static createFrom(source: any = {}) {
	        return new PutGlobalConfigRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target_version = source["target_version"];
	        this.target_version_jitter = source["target_version_jitter"];
	        this.heartbeat_interval = source["heartbeat_interval"];
	    }
	}
	export class PutGroupConfigRequest {
	    name: string;
	    target_version?: string;
	    target_version_jitter?: string;
	    heartbeat_interval?: string;
	
	    static createFrom(source: any = {}) {
	        return new PutGroupConfigRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.target_version = source["target_version"];
	        this.target_version_jitter = source["target_version_jitter"];
	        this.heartbeat_interval = source["heartbeat_interval"];
	    }
	}
	export class PutPcConfigRequest {
	    pc_id: string;
	    target_version?: string;
	    target_version_jitter?: string;
	    heartbeat_interval?: string;
	
	    static createFrom(source: any = {}) {
	        return new PutPcConfigRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.target_version = source["target_version"];
	        this.target_version_jitter = source["target_version_jitter"];
	        this.heartbeat_interval = source["heartbeat_interval"];
	    }
	}
	
	
	
	
	export class Release {
	    version: string;
	    size: number;
	    digest?: string;
	    modified?: string;
	
	    static createFrom(source: any = {}) {
	        return new Release(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.size = source["size"];
	        this.digest = source["digest"];
	        this.modified = source["modified"];
	    }
	}
	export class ReleasesPage {
	    items: Release[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new ReleasesPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Release);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Result {
	    result_id: string;
	    request_id: string;
	    exec_id?: string;
	    pc_id: string;
	    exit_code: number;
	    stdout: string;
	    stderr: string;
	    started_at: string;
	    finished_at: string;
	    job_id?: string;
	    recorded_at: string;
	    stdout_truncated?: boolean;
	    stderr_truncated?: boolean;
	    stdout_len?: number;
	    stderr_len?: number;
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.result_id = source["result_id"];
	        this.request_id = source["request_id"];
	        this.exec_id = source["exec_id"];
	        this.pc_id = source["pc_id"];
	        this.exit_code = source["exit_code"];
	        this.stdout = source["stdout"];
	        this.stderr = source["stderr"];
	        this.started_at = source["started_at"];
	        this.finished_at = source["finished_at"];
	        this.job_id = source["job_id"];
	        this.recorded_at = source["recorded_at"];
	        this.stdout_truncated = source["stdout_truncated"];
	        this.stderr_truncated = source["stderr_truncated"];
	        this.stdout_len = source["stdout_len"];
	        this.stderr_len = source["stderr_len"];
	    }
	}
	
	export class ResultRequest {
	    result_id: string;
	
	    static createFrom(source: any = {}) {
	        return new ResultRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.result_id = source["result_id"];
	    }
	}
	export class ResultsPage {
	    items: Result[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new ResultsPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Result);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class RolloutScope {
	    type: string;
	    value?: string;
	
	    static createFrom(source: any = {}) {
	        return new RolloutScope(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.value = source["value"];
	    }
	}
	export class RolloutAgentRequest {
	    version: string;
	    scope: RolloutScope;
	    jitter?: string;
	
	    static createFrom(source: any = {}) {
	        return new RolloutAgentRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.scope = this.convertValues(source["scope"], RolloutScope);
	        this.jitter = source["jitter"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RolloutResponse {
	    version: string;
	    scope_key: string;
	    scope_label: string;
	    jitter?: string;
	
	    static createFrom(source: any = {}) {
	        return new RolloutResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.scope_key = source["scope_key"];
	        this.scope_label = source["scope_label"];
	        this.jitter = source["jitter"];
	    }
	}
	
	export class RunScriptRequest {
	    pc_id: string;
	    shell?: string;
	    script: string;
	    timeout_secs?: number;
	    exec_id?: string;
	
	    static createFrom(source: any = {}) {
	        return new RunScriptRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.shell = source["shell"];
	        this.script = source["script"];
	        this.timeout_secs = source["timeout_secs"];
	        this.exec_id = source["exec_id"];
	    }
	}
	export class Schedule {
	    id: string;
	    cron: string;
	    job_id: string;
	    target: Target;
	    rollout?: Rollout;
	    jitter?: string;
	    deadline_at?: string;
	    mode: string;
	    cooldown?: string;
	    auto_disable_when_done: boolean;
	    starting_deadline?: string;
	    runs_on: string;
	    enabled: boolean;
	    supported?: boolean;
	    reason?: string;
	    next_fire?: string;
	    last_skipped?: string;
	
	    static createFrom(source: any = {}) {
	        return new Schedule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.cron = source["cron"];
	        this.job_id = source["job_id"];
	        this.target = this.convertValues(source["target"], Target);
	        this.rollout = this.convertValues(source["rollout"], Rollout);
	        this.jitter = source["jitter"];
	        this.deadline_at = source["deadline_at"];
	        this.mode = source["mode"];
	        this.cooldown = source["cooldown"];
	        this.auto_disable_when_done = source["auto_disable_when_done"];
	        this.starting_deadline = source["starting_deadline"];
	        this.runs_on = source["runs_on"];
	        this.enabled = source["enabled"];
	        this.supported = source["supported"];
	        this.reason = source["reason"];
	        this.next_fire = source["next_fire"];
	        this.last_skipped = source["last_skipped"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ScheduleUpsertResponse {
	    id: string;
	    cron: string;
	    enabled: boolean;
	    job_id: string;
	
	    static createFrom(source: any = {}) {
	        return new ScheduleUpsertResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.cron = source["cron"];
	        this.enabled = source["enabled"];
	        this.job_id = source["job_id"];
	    }
	}
	
	export class SchedulesPage {
	    items: Schedule[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new SchedulesPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Schedule);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SetAgentGroupsRequest {
	    pc_id: string;
	    groups: string[];
	
	    static createFrom(source: any = {}) {
	        return new SetAgentGroupsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.groups = source["groups"];
	    }
	}
	export class Settings {
	    nats_mode: string;
	    nats_url: string;
	    nats_token: string;
	    nats_listen: string;
	    data_dir: string;
	    http_enabled: boolean;
	    http_addr: string;
	    http_token: string;
	    nats_tls_cert: string;
	    nats_tls_key: string;
	    http_tls_cert: string;
	    http_tls_key: string;
	    nats_agent_user: string;
	    nats_agent_password: string;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.nats_mode = source["nats_mode"];
	        this.nats_url = source["nats_url"];
	        this.nats_token = source["nats_token"];
	        this.nats_listen = source["nats_listen"];
	        this.data_dir = source["data_dir"];
	        this.http_enabled = source["http_enabled"];
	        this.http_addr = source["http_addr"];
	        this.http_token = source["http_token"];
	        this.nats_tls_cert = source["nats_tls_cert"];
	        this.nats_tls_key = source["nats_tls_key"];
	        this.http_tls_cert = source["http_tls_cert"];
	        this.http_tls_key = source["http_tls_key"];
	        this.nats_agent_user = source["nats_agent_user"];
	        this.nats_agent_password = source["nats_agent_password"];
	    }
	}
	export class SettingsState {
	    saved: Settings;
	    effective: Settings;
	    pinned: Record<string, string>;
	    file: string;
	    core: CoreState;
	    version: string;
	
	    static createFrom(source: any = {}) {
	        return new SettingsState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.saved = this.convertValues(source["saved"], Settings);
	        this.effective = this.convertValues(source["effective"], Settings);
	        this.pinned = source["pinned"];
	        this.file = source["file"];
	        this.core = this.convertValues(source["core"], CoreState);
	        this.version = source["version"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class StartDemoRequest {
	    agents: number;
	    first_run?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new StartDemoRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.agents = source["agents"];
	        this.first_run = source["first_run"];
	    }
	}
	
	export class UpdateAccountRequest {
	    username: string;
	    role?: string;
	    password?: string;
	    disabled?: boolean;
	    email?: string;
	    allowed_features?: string[];
	    permission_group?: string;
	
	    static createFrom(source: any = {}) {
	        return new UpdateAccountRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.role = source["role"];
	        this.password = source["password"];
	        this.disabled = source["disabled"];
	        this.email = source["email"];
	        this.allowed_features = source["allowed_features"];
	        this.permission_group = source["permission_group"];
	    }
	}
	export class UpsertJobRequest {
	    id: string;
	    version: string;
	    description?: string;
	    execute: Execute;
	    require_approval: boolean;
	    inventory?: InventoryHint;
	    staleness: Staleness;
	    supported?: boolean;
	    reason?: string;
	
	    static createFrom(source: any = {}) {
	        return new UpsertJobRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.description = source["description"];
	        this.execute = this.convertValues(source["execute"], Execute);
	        this.require_approval = source["require_approval"];
	        this.inventory = this.convertValues(source["inventory"], InventoryHint);
	        this.staleness = this.convertValues(source["staleness"], Staleness);
	        this.supported = source["supported"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class UpsertScheduleRequest {
	    id: string;
	    cron: string;
	    job_id: string;
	    target: Target;
	    rollout?: Rollout;
	    jitter?: string;
	    deadline_at?: string;
	    mode: string;
	    cooldown?: string;
	    auto_disable_when_done: boolean;
	    starting_deadline?: string;
	    runs_on: string;
	    enabled: boolean;
	    supported?: boolean;
	    reason?: string;
	    next_fire?: string;
	    last_skipped?: string;
	
	    static createFrom(source: any = {}) {
	        return new UpsertScheduleRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.cron = source["cron"];
	        this.job_id = source["job_id"];
	        this.target = this.convertValues(source["target"], Target);
	        this.rollout = this.convertValues(source["rollout"], Rollout);
	        this.jitter = source["jitter"];
	        this.deadline_at = source["deadline_at"];
	        this.mode = source["mode"];
	        this.cooldown = source["cooldown"];
	        this.auto_disable_when_done = source["auto_disable_when_done"];
	        this.starting_deadline = source["starting_deadline"];
	        this.runs_on = source["runs_on"];
	        this.enabled = source["enabled"];
	        this.supported = source["supported"];
	        this.reason = source["reason"];
	        this.next_fire = source["next_fire"];
	        this.last_skipped = source["last_skipped"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class VersionRequest {
	    version: string;
	
	    static createFrom(source: any = {}) {
	        return new VersionRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	    }
	}
	
	export class YAMLRequest {
	    yaml: string;
	
	    static createFrom(source: any = {}) {
	        return new YAMLRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.yaml = source["yaml"];
	    }
	}

}

