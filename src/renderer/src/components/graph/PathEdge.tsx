import { BaseEdge, getSmoothStepPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { PathEdge } from '../../lib/graph-layout';
import { useArbor } from '../../store';

/** A parent→child edge, highlighted when its child segment is on the active path; dashed to a subagent lane. */
export const PathEdgeView = memo(function PathEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data }: EdgeProps<PathEdge>) {
  const onPath = useArbor((s) => (data ? s.activeSegments.has(data.child) : false));
  const [path] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, borderRadius: 10 });
  return <BaseEdge id={id} path={path} className={data?.lane ? 'path-edge lane-edge' : onPath ? 'path-edge on-path' : 'path-edge'} />;
});
