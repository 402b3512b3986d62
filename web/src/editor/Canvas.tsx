import { Background, Controls, MiniMap, ReactFlow, useNodesState, useReactFlow, useStore, type Connection, type Edge, type NodeChange, type OnSelectionChangeParams } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, type DragEvent } from 'react';
import type { FlowDefinition } from '../../../src/flow/definition';
import type { ExecutionPath } from './context';
import { addState, connect, deleteState, disconnect, moveStates, newState, type Point } from './definition-ops';
import { edgesOf, issuesByWidget, nodesOf, parseEdgeId, type WidgetNode as WidgetNodeType } from './graph';
import { WIDGET_DRAG_TYPE } from './Palette';
import { WidgetNode } from './WidgetNode';
import type { FlowValidation } from '../../../src/flow/validate';
import { WidgetInsightsContext } from '../insights/context';
import { insightEdges } from '../insights/edges';
import type { CanvasInsights } from '../insights/stats';

const nodeTypes = { widget: WidgetNode };
/** A small flow opens at natural size, not blown up to fill the canvas. */
const FIT_VIEW = { maxZoom: 1 };
/** Below this zoom the widgets show their names only. */
const FAR_ZOOM = 0.45;

interface CanvasProps {
  readonly definition: FlowDefinition;
  readonly validation: FlowValidation;
  readonly selected: string | undefined;
  readonly path: ExecutionPath | undefined;
  /** Read-only while an execution of another revision is shown. */
  readonly readOnly: boolean;
  /** Changes when the whole flow should be brought into view (after auto-layout). */
  readonly fitRequest: number;
  readonly edit: (next: FlowDefinition) => void;
  readonly select: (name: string | undefined) => void;
  /** Every widget selected on the canvas (a box or Shift-click selects several): what Ctrl+C copies. */
  readonly pick: (names: string[]) => void;
  /** In Insights mode: the counts drawn on the widgets and the traffic on the edges. */
  readonly insights?: CanvasInsights;
}

/**
 * The flow canvas. The definition is the single source of truth: nodes and edges are derived
 * from it, and every gesture (drop, connect, delete, drag end) becomes one edit of it. Only a
 * drag in progress lives in local node state, so 300 widgets move without re-validating.
 */
export function Canvas({ definition, validation, selected, path, readOnly, fitRequest, edit, select, pick, insights }: CanvasProps) {
  const shown = path?.definition ?? definition;
  const issues = useMemo(() => (path?.definition ? new Map() : issuesByWidget(definition, validation.errors, validation.warnings)), [definition, validation, path]);
  const derived = useMemo(() => nodesOf(shown, issues, path?.visits).map((n) => ({ ...n, selected: n.id === selected })), [shown, issues, path, selected]);
  const plainEdges = useMemo(() => edgesOf(shown, path?.taken), [shown, path]);
  const edges = useMemo(() => (insights ? insightEdges(plainEdges, insights) : plainEdges), [plainEdges, insights]);
  const [nodes, setNodes, onNodesChange] = useNodesState<WidgetNodeType>(derived);
  // New node objects keep the size xyflow measured: without it a node stays hidden until its
  // element resizes, which an unchanged widget never does.
  useEffect(() => {
    setNodes((current) => {
      const measured = new Map(current.map((n) => [n.id, n.measured]));
      return derived.map((n) => (measured.get(n.id) ? { ...n, measured: measured.get(n.id) } : n));
    });
  }, [derived, setNodes]);
  const flow = useReactFlow();
  // Zoomed far out the labels are too small to read: not painting them keeps a big flow smooth.
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  useEffect(() => {
    // After the nodes moved: on the next frame xyflow has their new positions.
    if (fitRequest > 0) requestAnimationFrame(() => void flow.fitView({ ...FIT_VIEW, duration: 300 }));
  }, [fitRequest, flow]);

  const onConnect = useCallback((c: Connection) => {
    if (readOnly || !c.sourceHandle) return;
    edit(connect(definition, c.source, Number(c.sourceHandle), c.target));
  }, [definition, edit, readOnly]);

  const onEdgesDelete = useCallback((removed: Edge[]) => {
    let next = definition;
    for (const edge of removed) {
      const { source, index } = parseEdgeId(edge.id);
      next = disconnect(next, source, index);
    }
    edit(next);
  }, [definition, edit]);

  const onNodesDelete = useCallback((removed: WidgetNodeType[]) => {
    edit(removed.reduce((d, n) => deleteState(d, n.id), definition));
    select(undefined);
  }, [definition, edit, select]);

  const onNodeDragStop = useCallback((_: unknown, _node: WidgetNodeType, dragged: WidgetNodeType[]) => {
    if (readOnly) return;
    edit(moveStates(definition, new Map<string, Point>(dragged.map((n) => [n.id, n.position]))));
  }, [definition, edit, readOnly]);

  const onDrop = useCallback((event: DragEvent) => {
    const type = event.dataTransfer.getData(WIDGET_DRAG_TYPE);
    if (!type || readOnly) return;
    event.preventDefault();
    const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    const state = newState(definition, type, at);
    edit(addState(definition, state));
    select(state.name);
  }, [definition, edit, flow, readOnly, select]);

  // xyflow calls onSelectionChange again whenever the callback changes, with its store's
  // selection of that moment — which lags the `selected` prop by one render. A stable callback
  // (reading the latest prop through a ref) keeps the two from chasing each other.
  const latest = useRef({ selected, select, pick });
  latest.current = { selected, select, pick };
  const onSelectionChange = useCallback(({ nodes: picked }: OnSelectionChangeParams) => {
    latest.current.pick(picked.map((n) => n.id));
    const name = picked.length === 1 ? picked[0]!.id : undefined;
    if (name !== latest.current.selected) latest.current.select(name);
  }, []);

  const onChange = useCallback((changes: NodeChange<WidgetNodeType>[]) => onNodesChange(readOnly ? changes.filter((c) => c.type !== 'position' && c.type !== 'remove') : changes), [onNodesChange, readOnly]);

  return (
    <div className={['canvas', far ? 'far' : '', insights ? 'insights-mode' : ''].filter(Boolean).join(' ')} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop} data-testid="canvas">
      <WidgetInsightsContext.Provider value={insights}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onChange}
          onConnect={onConnect}
          onEdgesDelete={readOnly ? undefined : onEdgesDelete}
          onNodesDelete={readOnly ? undefined : onNodesDelete}
          onNodeDragStop={onNodeDragStop}
          onSelectionChange={onSelectionChange}
          nodesConnectable={!readOnly}
          deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
          minZoom={0.1}
          maxZoom={2}
          onlyRenderVisibleElements
          fitView
          fitViewOptions={FIT_VIEW}
          proOptions={{ hideAttribution: false }}
        >
          <Background gap={24} />
          <MiniMap pannable zoomable />
          <Controls />
        </ReactFlow>
      </WidgetInsightsContext.Provider>
    </div>
  );
}
