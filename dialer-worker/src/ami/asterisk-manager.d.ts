/**
 * Types for asterisk-manager 0.2.0 (plain JavaScript, no types of its own), limited to what
 * `AsteriskManagerConnection` uses. Its quirks are listed in asterisk-manager-connection.ts.
 */
declare module 'asterisk-manager' {
  namespace AsteriskManager {
    /** A parsed message: lowercased keys; repeated keys as arrays; `variable` as an object. */
    type RawAmiMessage = Record<string, string | string[] | Record<string, string>>;
    type ActionCallback = (err: RawAmiMessage | Error | undefined | null, res?: RawAmiMessage) => void;

    interface Client {
      options: { port: number; host: string; username: string; password: string; events: boolean };
      connect(port: number, host: string, callback?: (err: null) => void): void;
      login(callback?: (err?: RawAmiMessage) => void): void;
      action(action: Record<string, unknown>, callback?: ActionCallback): string;
      disconnect(callback?: () => void): void;
      isConnected(): boolean;
      keepConnected(): void;
      on(event: string, listener: (...args: any[]) => void): this;
      once(event: string, listener: (...args: any[]) => void): this;
      removeListener(event: string, listener: (...args: any[]) => void): this;
      removeAllListeners(event?: string): this;
      listeners(event: string): Array<(...args: any[]) => void>;
    }
  }

  const AsteriskManager: {
    (port?: number, host?: string, username?: string, password?: string, events?: boolean): AsteriskManager.Client;
    new (port?: number, host?: string, username?: string, password?: string, events?: boolean): AsteriskManager.Client;
  };
  export = AsteriskManager;
}
