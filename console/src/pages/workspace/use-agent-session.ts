import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useConsoleServices } from '@/providers/console-services';
import type { AgentStatePayload, CallEndedPayload, CommandArgs, CommandName, CommandReply, CommandResult, ConnectionHealth, ScreenPop } from '@/providers/worker-connection';

export type AgentSession = {
  agent: AgentStatePayload | null;
  pop: ScreenPop | null;
  ended: CallEndedPayload | null;
  /** True when the agent pressed Hang up for the call that ended, so the screen can say who ended it. */
  hungUpByAgent: boolean;
  lastError: { code: string; error: string } | null;
  send: <C extends CommandName>(command: C, ...payload: CommandArgs<C>) => Promise<CommandReply<CommandResult<C>>>;
};

/** The agent's live state as the worker tells it: state, the popped call, its end. */
export function useAgentSession(): AgentSession {
  const { worker } = useConsoleServices();
  const [agent, setAgent] = useState<AgentStatePayload | null>(() => worker.snapshot().agent);
  const [pop, setPop] = useState<ScreenPop | null>(() => worker.snapshot().pop);
  const [ended, setEnded] = useState<CallEndedPayload | null>(null);
  const [hungUpByAgent, setHungUpByAgent] = useState(false);
  const [lastError, setLastError] = useState<AgentSession['lastError']>(null);
  const popped = useRef<string | null>(worker.snapshot().pop?.attemptId ?? null);

  useEffect(() => {
    const socket = worker.socket;
    const onState = (state: AgentStatePayload) => {
      setAgent(state);
      // Back to ready or paused: the call, if any, is done with.
      if (state.status === 'ready' || state.status === 'paused' || state.status === 'logged_out') {
        setPop(null);
        popped.current = null;
        setEnded(null);
        setHungUpByAgent(false);
      }
    };
    const onPop = (p: ScreenPop) => {
      setPop(p);
      // The same call popped again (an account linked to it): its end, if it came, still stands.
      if (popped.current === p.attemptId) return;
      popped.current = p.attemptId;
      setEnded(null);
      setHungUpByAgent(false);
    };
    const onEnded = (e: CallEndedPayload) => setEnded(e);
    socket.on('agent:state', onState);
    socket.on('call:screen-pop', onPop);
    socket.on('call:ended', onEnded);
    // The worker may have spoken between the first render (which read the snapshot) and this
    // effect: take what the connection kept since, or the state sent on connection is lost.
    const latest = worker.snapshot();
    if (latest.agent) setAgent(latest.agent);
    if (latest.pop) setPop(latest.pop);
    worker.ensureConnected();
    return () => {
      socket.off('agent:state', onState);
      socket.off('call:screen-pop', onPop);
      socket.off('call:ended', onEnded);
    };
  }, [worker]);

  const send = useCallback(
    async <C extends CommandName>(command: C, ...payload: CommandArgs<C>) => {
      if (command === 'hangup') setHungUpByAgent(true);
      const reply = await worker.command(command, ...payload);
      setLastError(reply.ok ? null : { code: reply.code, error: reply.error });
      return reply;
    },
    [worker],
  );

  return { agent, pop, ended, hungUpByAgent, lastError, send };
}

/** Connection health and the time of the last event, re-rendering when either changes. */
export function useWorkerHealth() {
  const { worker } = useConsoleServices();
  const subscribe = useCallback((cb: () => void) => worker.onHealth(cb), [worker]);
  const health = useSyncExternalStore(subscribe, () => worker.status().health);
  const lastEventAt = useSyncExternalStore(subscribe, () => worker.status().lastEventAt);
  return { health, lastEventAt };
}

/**
 * The socket's health only: re-renders when it connects or drops, not on every event (a busy
 * page such as the wallboard gets dozens a second; useWorkerHealth re-renders on each).
 */
export function useConnectionHealth(): ConnectionHealth {
  const { worker } = useConsoleServices();
  const subscribe = useCallback((cb: () => void) => worker.onHealth(cb), [worker]);
  return useSyncExternalStore(subscribe, () => worker.status().health);
}

export { useNow } from '@/components/clock';
