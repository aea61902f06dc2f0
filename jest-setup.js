// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// Grafana's Combobox sizes itself with a canvas 2D context; jsdom has none, and the scaffold's stub returns
// nothing. Text is measured at a fixed width per character.
HTMLCanvasElement.prototype.getContext = () => ({ font: '', measureText: (text) => ({ width: String(text).length * 7 }) });
