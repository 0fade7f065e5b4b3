package wire

// The JSONShape methods say which struct each hand-written encoder above
// writes, so the console's /api/openapi.json can describe the JSON from the
// code that produces it (backend/api/schema.go reflects the shape; a type
// with an Extra field is an object that keeps unknown keys). Nothing else
// calls them.

// JSONAnyOf is a shape for a value encoded as one of several shapes.
type JSONAnyOf []any

// JSONAllOf is a shape for a value that has every listed shape's keys.
type JSONAllOf []any

func (AgentGroups) JSONShape() any { return agentGroupsJSON{} }
func (stringList) JSONShape() any  { return []string(nil) }
func (ConfigScope) JSONShape() any { return configScopeJSON{} }
func (EffectiveConfig) JSONShape() any {
	type plain EffectiveConfig
	return plain{}
}
func (ExecResponse) JSONShape() any {
	type plain ExecResponse
	return plain{}
}
func (FanoutPlan) JSONShape() any    { return fanoutPlanJSON{} }
func (Target) JSONShape() any        { return targetJSON{} }
func (Rollout) JSONShape() any       { return rolloutJSON{} }
func (Wave) JSONShape() any          { return waveJSON{} }
func (Heartbeat) JSONShape() any     { return heartbeatJSON{} }
func (Manifest) JSONShape() any      { return manifestJSON{} }
func (Execute) JSONShape() any       { return executeJSON{} }
func (InventoryHint) JSONShape() any { return inventoryHintJSON{} }
func (DisplayField) JSONShape() any  { return displayFieldJSON{} }
func (Schedule) JSONShape() any      { return scheduleJSON{} }
func (ExecResult) JSONShape() any    { return execResultJSON{} }

// Staleness is {"mode": ...}, with max_cache_age only in strict mode.
func (Staleness) JSONShape() any {
	return struct {
		Mode        StalenessMode `json:"mode"`
		MaxCacheAge *Duration     `json:"max_cache_age,omitempty"`
	}{}
}

// The enums' values, for the same description.
func (Shell) JSONEnum() []string { return []string{string(ShellPowerShell), string(ShellCmd)} }
func (RunAs) JSONEnum() []string {
	return []string{string(RunAsSystem), string(RunAsUser), string(RunAsSystemGUI)}
}
func (RolloutStrategy) JSONEnum() []string { return []string{string(RolloutWave)} }
func (StalenessMode) JSONEnum() []string {
	return []string{string(StalenessCached), string(StalenessStrict), string(StalenessUnchecked)}
}
func (ScheduleMode) JSONEnum() []string {
	return []string{string(ModeEveryTick), string(ModeOncePerPC), string(ModeOncePerTarget)}
}
func (RunsOn) JSONEnum() []string { return []string{string(RunsOnBackend), string(RunsOnAgent)} }
