package scheduler

import (
	"sort"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// Decision is what one tick of a schedule does.
type Decision struct {
	Fire bool
	// PCs narrows the target (once_per_pc); nil fires the schedule's plan.
	PCs []string
	// Done: nothing is left to do and nothing will re-arm (no cooldown), so
	// auto_disable_when_done may switch the schedule off.
	Done bool
	// Skip says why a tick does not fire ("" when it fires).
	Skip string
}

// Why a fire mode skips a tick.
const (
	SkipEmptyTarget = "empty target"
	SkipAllDone     = "every target PC has succeeded"
	SkipCooldown    = "within cooldown"
)

// Decide applies a fire mode. expected is the PC set the target resolves to
// now; successes maps PCs to their latest successful finish of the job.
func Decide(mode wire.ScheduleMode, expected []string, successes map[string]time.Time, cooldown *time.Duration, now time.Time) Decision {
	satisfied := func(pc string) bool {
		at, ok := successes[pc]
		if !ok {
			return false
		}
		return cooldown == nil || now.Sub(at) < *cooldown
	}
	switch mode.OrDefault() {
	case wire.ModeOncePerPC:
		var pending []string
		for _, pc := range expected {
			if !satisfied(pc) {
				pending = append(pending, pc)
			}
		}
		sort.Strings(pending)
		if len(pending) > 0 {
			return Decision{Fire: true, PCs: pending}
		}
		if len(expected) == 0 {
			return Decision{Skip: SkipEmptyTarget}
		}
		return skipDone(cooldown)
	case wire.ModeOncePerTarget:
		// kanade 0.29 skips an empty target (once_per_target_empty_
		// expected_no_completion_skips): firing at nobody is no run.
		if len(expected) == 0 {
			return Decision{Skip: SkipEmptyTarget}
		}
		for _, pc := range expected {
			if satisfied(pc) {
				return skipDone(cooldown)
			}
		}
		return Decision{Fire: true}
	default:
		return Decision{Fire: true}
	}
}

func skipDone(cooldown *time.Duration) Decision {
	if cooldown == nil {
		return Decision{Done: true, Skip: SkipAllDone}
	}
	return Decision{Skip: SkipCooldown}
}
