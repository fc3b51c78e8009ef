/** Closes a popover when the user clicks elsewhere or presses Escape, as menus do. */
import { onBeforeUnmount, onMounted, type Ref } from 'vue';

export function useDismiss(root: Ref<HTMLElement | null>, open: Ref<boolean>): void {
  const onPointer = (e: PointerEvent): void => {
    if (open.value && root.value && !root.value.contains(e.target as Node)) open.value = false;
  };
  const onKey = (e: KeyboardEvent): void => {
    if (open.value && e.key === 'Escape') open.value = false;
  };
  onMounted(() => {
    document.addEventListener('pointerdown', onPointer, true);
    document.addEventListener('keydown', onKey);
  });
  onBeforeUnmount(() => {
    document.removeEventListener('pointerdown', onPointer, true);
    document.removeEventListener('keydown', onKey);
  });
}
