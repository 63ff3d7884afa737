import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { LaneNode } from '../../lib/graph-layout';
import { formatNumber } from '../../lib/format';

/**
 * A subagent's lane beside the line, under the run whose last message started it. Clicking it (or
 * Enter) makes that branch active, brings the transcript to the call and opens the lane there.
 */
export const LaneNodeView = memo(function LaneNodeView({ data }: NodeProps<LaneNode>) {
  const lane = data.lane;
  return (
    <div className="lane-node" title={`Subagent lane: ${lane.label}`}>
      <Handle type="target" position={Position.Top} isConnectable={false} className="segment-handle" />
      <div className="segment-head">
        <span className="lane-kind">Subagent</span>
        <span className="header-spacer" />
        <span className="length-badge">
          {formatNumber(lane.messageCount)} {lane.messageCount === 1 ? 'message' : 'messages'}
        </span>
      </div>
      <div className="lane-title">{lane.label}</div>
      <div className="lane-preview">{lane.firstPreview}</div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="segment-handle" />
    </div>
  );
});
