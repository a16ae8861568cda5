/** Colours of the network view, one per group of stakeholder kinds (the legend names them). */
export const KIND_COLOUR: Record<string, string> = {
  business: "#1d4f91",
  investor: "#1d4f91",
  university: "#0b6e4f",
  college: "#0b6e4f",
  local_authority: "#8a5a00",
  combined_authority: "#8a5a00",
  lep: "#8a5a00",
  public_body: "#8a5a00",
  health: "#a4262c",
  third_sector: "#6b2c91",
  network: "#6b2c91",
  person: "#4a4a55",
};

export const LEGEND: [string, string][] = [
  ["Business and investors", "#1d4f91"],
  ["Universities and colleges", "#0b6e4f"],
  ["Councils, LEPs and public bodies", "#8a5a00"],
  ["Health", "#a4262c"],
  ["Third sector and networks", "#6b2c91"],
  ["People", "#4a4a55"],
];
