export namespace accounts {
	
	export class ChangePasswordRequest {
	    old_password: string;
	    new_password: string;
	
	    static createFrom(source: any = {}) {
	        return new ChangePasswordRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.old_password = source["old_password"];
	        this.new_password = source["new_password"];
	    }
	}
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
	
	export class LoginRequest {
	    username: string;
	    password: string;
	    totp_code?: string;
	
	    static createFrom(source: any = {}) {
	        return new LoginRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.password = source["password"];
	        this.totp_code = source["totp_code"];
	    }
	}
	export class LoginResponse {
	    token?: string;
	    role?: string;
	    must_change_pw?: boolean;
	    exp?: number;
	    mfa_required?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new LoginResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.token = source["token"];
	        this.role = source["role"];
	        this.must_change_pw = source["must_change_pw"];
	        this.exp = source["exp"];
	        this.mfa_required = source["mfa_required"];
	    }
	}
	export class MFACodeRequest {
	    code: string;
	
	    static createFrom(source: any = {}) {
	        return new MFACodeRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	    }
	}
	export class MFAInit {
	    secret: string;
	    otpauth_url: string;
	
	    static createFrom(source: any = {}) {
	        return new MFAInit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.secret = source["secret"];
	        this.otpauth_url = source["otpauth_url"];
	    }
	}
	export class MFAVerifyRequest {
	    secret: string;
	    code: string;
	    current_code?: string;
	
	    static createFrom(source: any = {}) {
	        return new MFAVerifyRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.secret = source["secret"];
	        this.code = source["code"];
	        this.current_code = source["current_code"];
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
	export class Empty {
	
	
	    static createFrom(source: any = {}) {
	        return new Empty(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	
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
	export class InventoryHistoryRequest {
	    manifest_id: string;
	    pc_id?: string;
	    limit?: number;
	    offset?: number;
	    field?: string;
	    kind?: string;
	    since?: string;
	    until?: string;
	    identity?: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new InventoryHistoryRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.manifest_id = source["manifest_id"];
	        this.pc_id = source["pc_id"];
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	        this.field = source["field"];
	        this.kind = source["kind"];
	        this.since = source["since"];
	        this.until = source["until"];
	        this.identity = source["identity"];
	    }
	}
	export class InventoryScalarSearchRequest {
	    manifest_id: string;
	    limit?: number;
	    offset?: number;
	    filters?: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new InventoryScalarSearchRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.manifest_id = source["manifest_id"];
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	        this.filters = source["filters"];
	    }
	}
	export class InventorySearchRequest {
	    manifest_id: string;
	    field: string;
	    limit?: number;
	    offset?: number;
	    filters?: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new InventorySearchRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.manifest_id = source["manifest_id"];
	        this.field = source["field"];
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	        this.filters = source["filters"];
	    }
	}
	export class JSONBody {
	
	
	    static createFrom(source: any = {}) {
	        return new JSONBody(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	
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
	export class Page_github_com_kanade_console_kanade_console_backend_console_InventoryJob_ {
	    items: console.InventoryJob[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_console_InventoryJob_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], console.InventoryJob);
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
	export class Page_github_com_kanade_console_kanade_console_backend_console_JobRow_ {
	    items: console.JobRow[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_console_JobRow_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], console.JobRow);
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
	export class Page_github_com_kanade_console_kanade_console_backend_execution_Release_ {
	    items: execution.Release[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_execution_Release_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], execution.Release);
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
	export class Page_github_com_kanade_console_kanade_console_backend_scheduler_Listed_ {
	    items: scheduler.Listed[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_scheduler_Listed_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], scheduler.Listed);
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
	export class Page_github_com_kanade_console_kanade_console_backend_store_AgentRow_ {
	    items: store.AgentRow[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_store_AgentRow_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], store.AgentRow);
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
	export class Page_github_com_kanade_console_kanade_console_backend_store_AuditEntry_ {
	    items: store.AuditEntry[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_store_AuditEntry_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], store.AuditEntry);
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
	export class Page_github_com_kanade_console_kanade_console_backend_store_DeadLetterRow_ {
	    items: store.DeadLetterRow[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_store_DeadLetterRow_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], store.DeadLetterRow);
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
	export class Page_github_com_kanade_console_kanade_console_backend_store_ExecutionRow_ {
	    items: store.ExecutionRow[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_store_ExecutionRow_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], store.ExecutionRow);
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
	export class Page_github_com_kanade_console_kanade_console_backend_store_ExplodeRow_ {
	    items: any[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_store_ExplodeRow_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = source["items"];
	        this.total = source["total"];
	    }
	}
	export class Page_github_com_kanade_console_kanade_console_backend_store_FirstSeen_ {
	    items: store.FirstSeen[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_store_FirstSeen_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], store.FirstSeen);
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
	export class Page_github_com_kanade_console_kanade_console_backend_store_GroupCount_ {
	    items: store.GroupCount[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_store_GroupCount_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], store.GroupCount);
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
	export class Page_github_com_kanade_console_kanade_console_backend_store_HistoryRow_ {
	    items: store.HistoryRow[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_store_HistoryRow_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], store.HistoryRow);
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
	export class Page_github_com_kanade_console_kanade_console_backend_store_InventoryRow_ {
	    items: store.InventoryRow[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_store_InventoryRow_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], store.InventoryRow);
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
	export class Page_github_com_kanade_console_kanade_console_backend_store_ResultRow_ {
	    items: store.ResultRow[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page_github_com_kanade_console_kanade_console_backend_store_ResultRow_(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], store.ResultRow);
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

export namespace broker {
	
	export class Resource {
	    name: string;
	    exists: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Resource(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.exists = source["exists"];
	    }
	}
	export class Resources {
	    streams: Resource[];
	    kv_buckets: Resource[];
	    object_stores: Resource[];
	
	    static createFrom(source: any = {}) {
	        return new Resources(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.streams = this.convertValues(source["streams"], Resource);
	        this.kv_buckets = this.convertValues(source["kv_buckets"], Resource);
	        this.object_stores = this.convertValues(source["object_stores"], Resource);
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

}

export namespace console {
	
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
	export class AgentsRequest {
	    limit?: number;
	    offset?: number;
	    q?: string;
	    status?: string;
	    group?: string;
	
	    static createFrom(source: any = {}) {
	        return new AgentsRequest(source);
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
	export class AuditRequest {
	    limit?: number;
	    offset?: number;
	    actor?: string;
	    action?: string;
	    since?: string;
	    until?: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditRequest(source);
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
	export class DemoStatus {
	    running: boolean;
	    agents: number;
	    prefix: string;
	    // Go type: time
	    started_at?: any;
	    first_exec_id?: string;
	
	    static createFrom(source: any = {}) {
	        return new DemoStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.agents = source["agents"];
	        this.prefix = source["prefix"];
	        this.started_at = this.convertValues(source["started_at"], null);
	        this.first_exec_id = source["first_exec_id"];
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
	export class ConnectInfo {
	    embedded: boolean;
	    listen: string;
	    urls: AgentURL[];
	    loopback_only: boolean;
	    open_listen?: string;
	    token: string;
	    token_from?: string;
	    agents: store.AgentsBeyond;
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
	        this.agents = this.convertValues(source["agents"], store.AgentsBeyond);
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
	export class RebuildStatus {
	    reason: string;
	    moved_to?: string;
	    // Go type: time
	    started_at: any;
	    // Go type: time
	    finished_at: any;
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
	        this.started_at = this.convertValues(source["started_at"], null);
	        this.finished_at = this.convertValues(source["finished_at"], null);
	        this.active = source["active"];
	        this.projected = source["projected"];
	        this.remaining = source["remaining"];
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
	export class DatabaseStatus {
	    path: string;
	    integrity: store.Integrity;
	    rebuild?: RebuildStatus;
	
	    static createFrom(source: any = {}) {
	        return new DatabaseStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.integrity = this.convertValues(source["integrity"], store.Integrity);
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
	export class DemoStart {
	    agents: number;
	    first_run: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DemoStart(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.agents = source["agents"];
	        this.first_run = source["first_run"];
	    }
	}
	
	export class ExecutionsRequest {
	    limit?: number;
	    offset?: number;
	    job_id?: string;
	    status?: string;
	
	    static createFrom(source: any = {}) {
	        return new ExecutionsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	        this.job_id = source["job_id"];
	        this.status = source["status"];
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
	    agents: store.AgentCounts;
	    jetstream: JetStreamHealth;
	    recent_results: store.ResultCounts;
	    // Go type: time
	    observed_at: any;
	
	    static createFrom(source: any = {}) {
	        return new FleetHealth(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.agents = this.convertValues(source["agents"], store.AgentCounts);
	        this.jetstream = this.convertValues(source["jetstream"], JetStreamHealth);
	        this.recent_results = this.convertValues(source["recent_results"], store.ResultCounts);
	        this.observed_at = this.convertValues(source["observed_at"], null);
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
	export class InventoryByJob {
	    manifest_id: string;
	    display: number[];
	    summary: number[];
	    rows: store.InventoryRow[];
	
	    static createFrom(source: any = {}) {
	        return new InventoryByJob(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.manifest_id = source["manifest_id"];
	        this.display = source["display"];
	        this.summary = source["summary"];
	        this.rows = this.convertValues(source["rows"], store.InventoryRow);
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
	    display: wire.DisplayField[];
	    summary?: wire.DisplayField[];
	    explode?: wire.ExplodeSpec[];
	    history_scalars?: string[];
	    pc_count: number;
	
	    static createFrom(source: any = {}) {
	        return new InventoryJob(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.manifest_id = source["manifest_id"];
	        this.description = source["description"];
	        this.display = this.convertValues(source["display"], wire.DisplayField);
	        this.summary = this.convertValues(source["summary"], wire.DisplayField);
	        this.explode = this.convertValues(source["explode"], wire.ExplodeSpec);
	        this.history_scalars = source["history_scalars"];
	        this.pc_count = source["pc_count"];
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
	
	export class JobRow {
	    Key: string;
	    Raw: number[];
	    // Go type: wire
	    Manifest: any;
	    Supported: boolean;
	    Reason: string;
	    Live: store.LiveCounts;
	
	    static createFrom(source: any = {}) {
	        return new JobRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Key = source["Key"];
	        this.Raw = source["Raw"];
	        this.Manifest = this.convertValues(source["Manifest"], null);
	        this.Supported = source["Supported"];
	        this.Reason = source["Reason"];
	        this.Live = this.convertValues(source["Live"], store.LiveCounts);
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
	export class RecreatedStatus {
	    // Go type: time
	    detected_at: any;
	    // Go type: time
	    recreated_at: any;
	    lost: string[];
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new RecreatedStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.detected_at = this.convertValues(source["detected_at"], null);
	        this.recreated_at = this.convertValues(source["recreated_at"], null);
	        this.lost = source["lost"];
	        this.note = source["note"];
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
	export class Paging {
	    limit?: number;
	    offset?: number;
	
	    static createFrom(source: any = {}) {
	        return new Paging(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	    }
	}
	export class PingResponse {
	    heartbeat: wire.Heartbeat;
	
	    static createFrom(source: any = {}) {
	        return new PingResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.heartbeat = this.convertValues(source["heartbeat"], wire.Heartbeat);
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
	
	
	export class ResultTail {
	    running: boolean;
	    live: boolean;
	    stdout: string;
	    stderr: string;
	    stdout_truncated: boolean;
	    stderr_truncated: boolean;
	    exit_code?: number;
	
	    static createFrom(source: any = {}) {
	        return new ResultTail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.live = source["live"];
	        this.stdout = source["stdout"];
	        this.stderr = source["stderr"];
	        this.stdout_truncated = source["stdout_truncated"];
	        this.stderr_truncated = source["stderr_truncated"];
	        this.exit_code = source["exit_code"];
	    }
	}
	export class ResultsRequest {
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
	        return new ResultsRequest(source);
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
	    // Go type: time
	    last_sweep_at?: any;
	    reap_inflight_secs: number;
	    reaped: number;
	
	    static createFrom(source: any = {}) {
	        return new RetentionStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tables = this.convertValues(source["tables"], RetentionTable);
	        this.every_secs = source["every_secs"];
	        this.last_sweep_at = this.convertValues(source["last_sweep_at"], null);
	        this.reap_inflight_secs = source["reap_inflight_secs"];
	        this.reaped = source["reaped"];
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
	
	export class SchedulerStatus {
	    leader: string;
	    // Go type: time
	    leader_since?: any;
	    is_leader: boolean;
	    lease_ttl_secs: number;
	    schedules: scheduler.EntryStatus[];
	    pending_waves: execution.PendingWave[];
	
	    static createFrom(source: any = {}) {
	        return new SchedulerStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.leader = source["leader"];
	        this.leader_since = this.convertValues(source["leader_since"], null);
	        this.is_leader = source["is_leader"];
	        this.lease_ttl_secs = source["lease_ttl_secs"];
	        this.schedules = this.convertValues(source["schedules"], scheduler.EntryStatus);
	        this.pending_waves = this.convertValues(source["pending_waves"], execution.PendingWave);
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
	export class Status {
	    version: string;
	    instance_id: string;
	    nats: NATSStatus;
	    projectors: projector.Snapshot[];
	    scheduler: SchedulerStatus;
	    agents: store.AgentCounts;
	    dead_letters: number;
	    dead_letters_dropped: number;
	    ready: Readiness;
	    jetstream: broker.Resources;
	    retention: RetentionStatus;
	    database: DatabaseStatus;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.instance_id = source["instance_id"];
	        this.nats = this.convertValues(source["nats"], NATSStatus);
	        this.projectors = this.convertValues(source["projectors"], projector.Snapshot);
	        this.scheduler = this.convertValues(source["scheduler"], SchedulerStatus);
	        this.agents = this.convertValues(source["agents"], store.AgentCounts);
	        this.dead_letters = source["dead_letters"];
	        this.dead_letters_dropped = source["dead_letters_dropped"];
	        this.ready = this.convertValues(source["ready"], Readiness);
	        this.jetstream = this.convertValues(source["jetstream"], broker.Resources);
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

}

export namespace execution {
	
	export class EffectiveConfigResponse {
	    pc_id: string;
	    effective: wire.EffectiveConfig;
	    warnings: string[];
	    my_groups: string[];
	
	    static createFrom(source: any = {}) {
	        return new EffectiveConfigResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.effective = this.convertValues(source["effective"], wire.EffectiveConfig);
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
	export class PendingWave {
	    exec_id: string;
	    job_id: string;
	    index: number;
	    subject: string;
	    due_at: wire.Time;
	    command: number[];
	
	    static createFrom(source: any = {}) {
	        return new PendingWave(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.exec_id = source["exec_id"];
	        this.job_id = source["job_id"];
	        this.index = source["index"];
	        this.subject = source["subject"];
	        this.due_at = this.convertValues(source["due_at"], wire.Time);
	        this.command = source["command"];
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
	export class Release {
	    version: string;
	    size: number;
	    digest?: string;
	    // Go type: time
	    modified?: any;
	
	    static createFrom(source: any = {}) {
	        return new Release(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.size = source["size"];
	        this.digest = source["digest"];
	        this.modified = this.convertValues(source["modified"], null);
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
	export class UpsertJobResponse {
	    id: string;
	    version: string;
	    description?: string;
	    inventory: boolean;
	
	    static createFrom(source: any = {}) {
	        return new UpsertJobResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.description = source["description"];
	        this.inventory = source["inventory"];
	    }
	}

}

export namespace projector {
	
	export class Snapshot {
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
	    // Go type: time
	    last_error_at?: any;
	    lag?: number;
	    lag_error?: string;
	
	    static createFrom(source: any = {}) {
	        return new Snapshot(source);
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
	        this.last_error_at = this.convertValues(source["last_error_at"], null);
	        this.lag = source["lag"];
	        this.lag_error = source["lag_error"];
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

}

export namespace scheduler {
	
	export class EntryStatus {
	    id: string;
	    registered: boolean;
	    supported: boolean;
	    reason?: string;
	    // Go type: time
	    next?: any;
	    // Go type: time
	    last_fire?: any;
	    last_exec_id?: string;
	    last_error?: string;
	    last_skipped?: string;
	    // Go type: time
	    last_skipped_at?: any;
	    skipped_ticks?: number;
	
	    static createFrom(source: any = {}) {
	        return new EntryStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.registered = source["registered"];
	        this.supported = source["supported"];
	        this.reason = source["reason"];
	        this.next = this.convertValues(source["next"], null);
	        this.last_fire = this.convertValues(source["last_fire"], null);
	        this.last_exec_id = source["last_exec_id"];
	        this.last_error = source["last_error"];
	        this.last_skipped = source["last_skipped"];
	        this.last_skipped_at = this.convertValues(source["last_skipped_at"], null);
	        this.skipped_ticks = source["skipped_ticks"];
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
	export class Cron {
	
	
	    static createFrom(source: any = {}) {
	        return new Cron(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	
	    }
	}
	export class Listed {
	    Key: string;
	    Raw: number[];
	    // Go type: wire
	    Schedule: any;
	    Decoded: boolean;
	    Supported: boolean;
	    Reason: string;
	    // Go type: Cron
	    Cron?: any;
	    // Go type: time
	    NextFire?: any;
	    LastSkipped: string;
	
	    static createFrom(source: any = {}) {
	        return new Listed(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Key = source["Key"];
	        this.Raw = source["Raw"];
	        this.Schedule = this.convertValues(source["Schedule"], null);
	        this.Decoded = source["Decoded"];
	        this.Supported = source["Supported"];
	        this.Reason = source["Reason"];
	        this.Cron = this.convertValues(source["Cron"], null);
	        this.NextFire = this.convertValues(source["NextFire"], null);
	        this.LastSkipped = source["LastSkipped"];
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
	export class UpsertResponse {
	    id: string;
	    cron: string;
	    enabled: boolean;
	    job_id: string;
	
	    static createFrom(source: any = {}) {
	        return new UpsertResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.cron = source["cron"];
	        this.enabled = source["enabled"];
	        this.job_id = source["job_id"];
	    }
	}

}

export namespace store {
	
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
	export class AgentRow {
	    pc_id: string;
	    hostname?: string;
	    os_family?: string;
	    agent_version?: string;
	    // Go type: time
	    last_heartbeat?: any;
	    // Go type: time
	    updated_at?: any;
	    online: boolean;
	    groups: string[];
	
	    static createFrom(source: any = {}) {
	        return new AgentRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.hostname = source["hostname"];
	        this.os_family = source["os_family"];
	        this.agent_version = source["agent_version"];
	        this.last_heartbeat = this.convertValues(source["last_heartbeat"], null);
	        this.updated_at = this.convertValues(source["updated_at"], null);
	        this.online = source["online"];
	        this.groups = source["groups"];
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
	export class AgentsBeyond {
	    known: number;
	    active: number;
	    last_pc_id?: string;
	    // Go type: time
	    last_heartbeat?: any;
	
	    static createFrom(source: any = {}) {
	        return new AgentsBeyond(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.known = source["known"];
	        this.active = source["active"];
	        this.last_pc_id = source["last_pc_id"];
	        this.last_heartbeat = this.convertValues(source["last_heartbeat"], null);
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
	export class AuditEntry {
	    id: number;
	    actor: string;
	    action: string;
	    target?: string;
	    payload: number[];
	    // Go type: time
	    occurred_at: any;
	
	    static createFrom(source: any = {}) {
	        return new AuditEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.actor = source["actor"];
	        this.action = source["action"];
	        this.target = source["target"];
	        this.payload = source["payload"];
	        this.occurred_at = this.convertValues(source["occurred_at"], null);
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
	export class DeadLetterRow {
	    id: number;
	    stream: string;
	    stream_seq: number;
	    subject: string;
	    error: string;
	    payload_size: number;
	    payload_head: string;
	    // Go type: time
	    recorded_at: any;
	
	    static createFrom(source: any = {}) {
	        return new DeadLetterRow(source);
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
	        this.recorded_at = this.convertValues(source["recorded_at"], null);
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
	export class InflightRun {
	    result_id: string;
	    pc_id: string;
	    // Go type: time
	    started_at: any;
	
	    static createFrom(source: any = {}) {
	        return new InflightRun(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.result_id = source["result_id"];
	        this.pc_id = source["pc_id"];
	        this.started_at = this.convertValues(source["started_at"], null);
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
	export class ExecutionResult {
	    result_id: string;
	    request_id: string;
	    pc_id: string;
	    exit_code: number;
	    skipped: boolean;
	    // Go type: time
	    started_at: any;
	    // Go type: time
	    finished_at: any;
	
	    static createFrom(source: any = {}) {
	        return new ExecutionResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.result_id = source["result_id"];
	        this.request_id = source["request_id"];
	        this.pc_id = source["pc_id"];
	        this.exit_code = source["exit_code"];
	        this.skipped = source["skipped"];
	        this.started_at = this.convertValues(source["started_at"], null);
	        this.finished_at = this.convertValues(source["finished_at"], null);
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
	export class ExecutionRow {
	    exec_id: string;
	    job_id: string;
	    version: string;
	    initiated_by: string;
	    // Go type: time
	    initiated_at: any;
	    target_count: number;
	    success_count: number;
	    failure_count: number;
	    skipped_count: number;
	    status: string;
	    inflight_count: number;
	
	    static createFrom(source: any = {}) {
	        return new ExecutionRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.exec_id = source["exec_id"];
	        this.job_id = source["job_id"];
	        this.version = source["version"];
	        this.initiated_by = source["initiated_by"];
	        this.initiated_at = this.convertValues(source["initiated_at"], null);
	        this.target_count = source["target_count"];
	        this.success_count = source["success_count"];
	        this.failure_count = source["failure_count"];
	        this.skipped_count = source["skipped_count"];
	        this.status = source["status"];
	        this.inflight_count = source["inflight_count"];
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
	export class ExecutionDetail {
	    execution: ExecutionRow;
	    results: ExecutionResult[];
	    inflight: InflightRun[];
	
	    static createFrom(source: any = {}) {
	        return new ExecutionDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.execution = this.convertValues(source["execution"], ExecutionRow);
	        this.results = this.convertValues(source["results"], ExecutionResult);
	        this.inflight = this.convertValues(source["inflight"], InflightRun);
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
	
	
	export class FirstSeen {
	    pc_id: string;
	    // Go type: time
	    first_seen_at: any;
	
	    static createFrom(source: any = {}) {
	        return new FirstSeen(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.first_seen_at = this.convertValues(source["first_seen_at"], null);
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
	export class GroupCount {
	    group: string;
	    members: number;
	
	    static createFrom(source: any = {}) {
	        return new GroupCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.group = source["group"];
	        this.members = source["members"];
	    }
	}
	export class HistoryRow {
	    id: number;
	    pc_id: string;
	    job_id: string;
	    field_path: string;
	    identity_json?: string;
	    change_kind: string;
	    before_json?: string;
	    after_json?: string;
	    // Go type: time
	    observed_at: any;
	
	    static createFrom(source: any = {}) {
	        return new HistoryRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.pc_id = source["pc_id"];
	        this.job_id = source["job_id"];
	        this.field_path = source["field_path"];
	        this.identity_json = source["identity_json"];
	        this.change_kind = source["change_kind"];
	        this.before_json = source["before_json"];
	        this.after_json = source["after_json"];
	        this.observed_at = this.convertValues(source["observed_at"], null);
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
	
	export class Integrity {
	    state: string;
	    detail?: string;
	    // Go type: time
	    checked_at: any;
	    took?: string;
	
	    static createFrom(source: any = {}) {
	        return new Integrity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.detail = source["detail"];
	        this.checked_at = this.convertValues(source["checked_at"], null);
	        this.took = source["took"];
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
	export class InventoryRow {
	    pc_id?: string;
	    job_id?: string;
	    facts: number[];
	    display?: number[];
	    summary?: number[];
	    // Go type: time
	    collected_at?: any;
	    // Go type: time
	    recorded_at?: any;
	
	    static createFrom(source: any = {}) {
	        return new InventoryRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pc_id = source["pc_id"];
	        this.job_id = source["job_id"];
	        this.facts = source["facts"];
	        this.display = source["display"];
	        this.summary = source["summary"];
	        this.collected_at = this.convertValues(source["collected_at"], null);
	        this.recorded_at = this.convertValues(source["recorded_at"], null);
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
	export class LiveCounts {
	    running: number;
	    pending: number;
	
	    static createFrom(source: any = {}) {
	        return new LiveCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.pending = source["pending"];
	    }
	}
	export class ResultCounts {
	    window_hours: number;
	    total: number;
	    failed: number;
	    skipped: number;
	
	    static createFrom(source: any = {}) {
	        return new ResultCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.window_hours = source["window_hours"];
	        this.total = source["total"];
	        this.failed = source["failed"];
	        this.skipped = source["skipped"];
	    }
	}
	export class ResultRow {
	    result_id: string;
	    request_id: string;
	    exec_id?: string;
	    pc_id: string;
	    exit_code?: number;
	    skipped: boolean;
	    stdout: string;
	    stderr: string;
	    // Go type: time
	    started_at: any;
	    // Go type: time
	    finished_at?: any;
	    job_id?: string;
	    version?: string;
	    // Go type: time
	    recorded_at: any;
	    reaped?: boolean;
	    stdout_truncated?: boolean;
	    stderr_truncated?: boolean;
	    stdout_len?: number;
	    stderr_len?: number;
	
	    static createFrom(source: any = {}) {
	        return new ResultRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.result_id = source["result_id"];
	        this.request_id = source["request_id"];
	        this.exec_id = source["exec_id"];
	        this.pc_id = source["pc_id"];
	        this.exit_code = source["exit_code"];
	        this.skipped = source["skipped"];
	        this.stdout = source["stdout"];
	        this.stderr = source["stderr"];
	        this.started_at = this.convertValues(source["started_at"], null);
	        this.finished_at = this.convertValues(source["finished_at"], null);
	        this.job_id = source["job_id"];
	        this.version = source["version"];
	        this.recorded_at = this.convertValues(source["recorded_at"], null);
	        this.reaped = source["reaped"];
	        this.stdout_truncated = source["stdout_truncated"];
	        this.stderr_truncated = source["stderr_truncated"];
	        this.stdout_len = source["stdout_len"];
	        this.stderr_len = source["stderr_len"];
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

}

export namespace wire {
	
	export class AgentGroups {
	    Groups: string[];
	
	    static createFrom(source: any = {}) {
	        return new AgentGroups(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Groups = source["Groups"];
	    }
	}
	export class Duration {
	
	
	    static createFrom(source: any = {}) {
	        return new Duration(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	
	    }
	}
	export class ConfigScope {
	    TargetVersion?: string;
	    // Go type: Duration
	    TargetVersionJitter?: any;
	    // Go type: Duration
	    HeartbeatInterval?: any;
	
	    static createFrom(source: any = {}) {
	        return new ConfigScope(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.TargetVersion = source["TargetVersion"];
	        this.TargetVersionJitter = this.convertValues(source["TargetVersionJitter"], null);
	        this.HeartbeatInterval = this.convertValues(source["HeartbeatInterval"], null);
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
	export class ExtraField {
	    Key: string;
	    Value: number[];
	
	    static createFrom(source: any = {}) {
	        return new ExtraField(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Key = source["Key"];
	        this.Value = source["Value"];
	    }
	}
	export class DisplayField {
	    Field: string;
	    Label: string;
	    Type?: string;
	    Extra: ExtraField[];
	
	    static createFrom(source: any = {}) {
	        return new DisplayField(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Field = source["Field"];
	        this.Label = source["Label"];
	        this.Type = source["Type"];
	        this.Extra = this.convertValues(source["Extra"], ExtraField);
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
	export class EffectiveConfig {
	    target_version?: string;
	    // Go type: Duration
	    target_version_jitter: any;
	    // Go type: Duration
	    heartbeat_interval: any;
	
	    static createFrom(source: any = {}) {
	        return new EffectiveConfig(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target_version = source["target_version"];
	        this.target_version_jitter = this.convertValues(source["target_version_jitter"], null);
	        this.heartbeat_interval = this.convertValues(source["heartbeat_interval"], null);
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
	    ResultID: string;
	    RequestID: string;
	    ExecID?: string;
	    PCID: string;
	    ExitCode: number;
	    Stdout: string;
	    Stderr: string;
	    // Go type: time
	    StartedAt: any;
	    // Go type: time
	    FinishedAt: any;
	    ManifestID?: string;
	    Skipped: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ExecResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ResultID = source["ResultID"];
	        this.RequestID = source["RequestID"];
	        this.ExecID = source["ExecID"];
	        this.PCID = source["PCID"];
	        this.ExitCode = source["ExitCode"];
	        this.Stdout = source["Stdout"];
	        this.Stderr = source["Stderr"];
	        this.StartedAt = this.convertValues(source["StartedAt"], null);
	        this.FinishedAt = this.convertValues(source["FinishedAt"], null);
	        this.ManifestID = source["ManifestID"];
	        this.Skipped = source["Skipped"];
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
	export class ExplodeColumn {
	    Field: string;
	    Type: string;
	    Index: boolean;
	    Extra: ExtraField[];
	
	    static createFrom(source: any = {}) {
	        return new ExplodeColumn(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Field = source["Field"];
	        this.Type = source["Type"];
	        this.Index = source["Index"];
	        this.Extra = this.convertValues(source["Extra"], ExtraField);
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
	export class ExplodeSpec {
	    Field: string;
	    Table: string;
	    PrimaryKey: string[];
	    Columns: ExplodeColumn[];
	    TrackHistory: boolean;
	    Extra: ExtraField[];
	
	    static createFrom(source: any = {}) {
	        return new ExplodeSpec(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Field = source["Field"];
	        this.Table = source["Table"];
	        this.PrimaryKey = source["PrimaryKey"];
	        this.Columns = this.convertValues(source["Columns"], ExplodeColumn);
	        this.TrackHistory = source["TrackHistory"];
	        this.Extra = this.convertValues(source["Extra"], ExtraField);
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
	
	export class Heartbeat {
	    PCID: string;
	    // Go type: time
	    At: any;
	    AgentVersion: string;
	    Hostname?: string;
	    OSFamily?: string;
	
	    static createFrom(source: any = {}) {
	        return new Heartbeat(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.PCID = source["PCID"];
	        this.At = this.convertValues(source["At"], null);
	        this.AgentVersion = source["AgentVersion"];
	        this.Hostname = source["Hostname"];
	        this.OSFamily = source["OSFamily"];
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
	export class Time {
	
	
	    static createFrom(source: any = {}) {
	        return new Time(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	
	    }
	}

}

