/** A one-line message that outlives a navigation ("Your story is saved as a draft."), shown once. */
class Notice {
  text = $state("");
  #path = "";

  say(text: string, onPath: string): void {
    this.text = text;
    this.#path = onPath;
  }

  /** Called on every navigation: the message stays only on the page it was meant for. */
  arrived(path: string): void {
    if (path !== this.#path) this.text = "";
    this.#path = "";
  }
}

export const notice = new Notice();
