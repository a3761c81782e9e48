// The JavaScript socket.io-client from npm (what the Kitsu web app uses), run by node, for the
// event-stream tests. Connects to URL's /events namespace by long-polling and lets the client
// upgrade to a WebSocket, authenticated by the access-token cookie as the web app's browser is.
// Prints "opened <transport>" when the engine opens, "upgraded <transport>" once upgraded,
// "connected" once in the namespace, then "<name> <json>" per event, until --count events
// arrived or --timeout seconds passed; then "done <count>".
import { io } from "socket.io-client";

const options = { count: "1", timeout: "20", token: "", url: "" };
const argv = process.argv.slice(2);
for (let i = 0; i + 1 < argv.length; i += 2) options[argv[i].replace(/^--/, "")] = argv[i + 1];

let received = 0;
const finish = () => {
  console.log(`done ${received}`);
  socket.disconnect();
  process.exit(0);
};
const socket = io(`${options.url}/events`, {
  path: "/socket.io",
  transports: ["polling", "websocket"],
  reconnection: false,
  extraHeaders: options.token ? { Cookie: `access_token_cookie=${options.token}` } : {},
});
// The engine opens by long-polling and upgrades on its own, possibly before the namespace is
// connected: both are reported as they happen.
socket.io.on("open", () => {
  const engine = socket.io.engine;
  console.log(`opened ${engine.transport.name}`);
  engine.on("upgrade", (transport) => console.log(`upgraded ${transport.name}`));
});
socket.on("connect", () => console.log("connected"));
socket.on("connect_error", (error) => {
  console.log(`refused ${error.message}`);
  process.exit(0);
});
socket.onAny((name, data) => {
  received += 1;
  console.log(`${name} ${JSON.stringify(data)}`);
  if (received >= Number(options.count)) finish();
});
setTimeout(finish, Number(options.timeout) * 1000);
