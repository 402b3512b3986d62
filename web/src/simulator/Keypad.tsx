const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

export function Keypad({ onPress, disabled }: { onPress: (key: string) => void; disabled: boolean }) {
  return (
    <div className="sim-keypad" role="group" aria-label="Keypad">
      {KEYS.map((key) => (
        <button key={key} type="button" aria-label={`Key ${key}`} disabled={disabled} onClick={() => onPress(key)}>{key}</button>
      ))}
    </div>
  );
}
