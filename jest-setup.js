// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// Grafana's Combobox sizes itself with a canvas 2D context; jsdom has none, and the scaffold's stub returns
// nothing. Text is measured at a fixed width per character.
HTMLCanvasElement.prototype.getContext = () => ({ font: '', measureText: (text) => ({ width: String(text).length * 7 }) });

// jsdom has no ResizeObserver; Grafana's Drawer and the story list observe sizes. Nothing is ever resized here.
if (typeof window.ResizeObserver === 'undefined') {
  window.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

// Nor IntersectionObserver, which Grafana's Drawer uses; nothing scrolls into view here.
if (typeof window.IntersectionObserver === 'undefined') {
  window.IntersectionObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  };
}
