// Simulated agents are marked wherever a pc id is shown: the console tells
// them by the demo fleet's pc id prefix (GET /api/demo), so its agents and
// their results never pass for real ones, also after the fleet stopped.
import { useCallback } from "react";
import { useOp } from "../api/hooks";
import { isSimulated } from "../lib/connect";

/** A predicate: is this pc id one of the console's simulated agents? */
export function useIsSimulated(): (pcId: string) => boolean {
  const demo = useOp("GetDemo", {}, { staleTime: 60_000 });
  const prefix = demo.data?.prefix ?? "";
  return useCallback((pcId: string) => isSimulated(pcId, prefix), [prefix]);
}

export function SimBadge() {
  return (
    <span className="badge badge-sim" title="A simulated agent of this console's demo fleet, not a real PC" data-testid="sim-badge">
      simulated
    </span>
  );
}

/** A "simulated" badge after a pc id when it is a demo agent (nothing otherwise). */
export function SimMark({ pcId }: { pcId: string }) {
  const simulated = useIsSimulated();
  if (!simulated(pcId)) return null;
  return (
    <>
      {" "}
      <SimBadge />
    </>
  );
}

/** The pc id, with a "simulated" badge for a demo agent. */
export function PcId({ pcId }: { pcId: string }) {
  return (
    <>
      {pcId}
      <SimMark pcId={pcId} />
    </>
  );
}
