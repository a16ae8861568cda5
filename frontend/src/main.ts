import { mount } from "svelte";

import App from "./App.svelte";
import "./app.css";
import "./print.css";
import { match } from "./lib/router.svelte";
import EmbedMetric from "./views/EmbedMetric.svelte";

const target = document.getElementById("app");
if (!target) throw new Error("#app is missing from index.html");
// An embedded figure is a page of its own: no navigation, no sign-in, nothing but the figure.
const route = match(location.pathname, location.search);
export default route.view === "embed-metric" ? mount(EmbedMetric, { target, props: route }) : mount(App, { target });
